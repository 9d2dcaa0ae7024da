package dev.keel.kernel.auth;

import java.util.List;

/** A user as {@code userGet} reports it: the opaque password hash made by the host, and sorted role names. */
public record AuthUser(String name, byte[] passwordHash, List<String> roles) {
    /** Copies so callers never share the store's state. */
    public AuthUser {
        passwordHash = passwordHash.clone();
        roles = List.copyOf(roles);
    }

    @Override
    public byte[] passwordHash() {
        return passwordHash.clone();
    }
}
