package dev.keel.node.auth;

import java.util.Objects;

/**
 * What a valid token says about its caller: the user it was issued to and the auth revision at issue, as etcd's
 * {@code AuthInfo}. The revision lets the kernel reject a token minted before a later auth change.
 *
 * @param user     the user name the token was issued to, never empty
 * @param revision the auth store revision when the token was issued
 */
public record TokenInfo(String user, long revision) {
    /** Checks the invariants: a token always names a user. */
    public TokenInfo {
        Objects.requireNonNull(user, "user");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("a token must name a user");
        }
        if (revision < 0) {
            throw new IllegalArgumentException("negative auth revision " + revision);
        }
    }
}
