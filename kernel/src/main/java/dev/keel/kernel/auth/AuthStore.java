package dev.keel.kernel.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The replicated auth state of etcd 3.4 ({@code auth/store.go}) as a pure deterministic class: every member
 * applying the same operations in the same order holds equal state. Every successful change bumps the auth
 * revision, as etcd; no-op requests etcd ignores (enable when enabled, granting a granted role) do not.
 * Invariants are checked after every change and throw {@link IllegalStateException} if broken.
 */
public final class AuthStore {
    /** The user and role etcd treats as administrator. */
    public static final String ROOT = "root";
    /** Names ordered by their UTF-8 bytes, as Go sorts strings. */
    static final Comparator<String> NAME_ORDER = AuthStore::compareCodePoints;

    /** Code-point order equals UTF-8 byte order, and it needs no encoding (no allocation per lookup). */
    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    final TreeMap<String, AuthUser> users = new TreeMap<>(NAME_ORDER);
    final TreeMap<String, List<Permission>> roles = new TreeMap<>(NAME_ORDER);
    boolean enabled;
    long revision;

    /** @return whether authentication is enabled */
    public boolean enabled() {
        return enabled;
    }

    /** @return the auth revision, bumped by every successful change */
    public long revision() {
        return revision;
    }

    /** Enables auth; needs user root holding role root. Already enabled: OK, nothing changes (etcd 3.4). */
    public AuthError authEnable() {
        if (enabled) {
            return AuthError.OK;
        }
        AuthUser root = users.get(ROOT);
        if (root == null) {
            return AuthError.ROOT_USER_NOT_EXIST;
        }
        if (!root.roles().contains(ROOT)) {
            return AuthError.ROOT_ROLE_NOT_EXIST;
        }
        enabled = true;
        return changed();
    }

    /** Disables auth; already disabled: OK, nothing changes. */
    public AuthError authDisable() {
        if (!enabled) {
            return AuthError.OK;
        }
        enabled = false;
        return changed();
    }

    /** Adds a user with the host-made password hash. */
    public AuthError userAdd(String name, byte[] passwordHash) {
        if (name.isEmpty()) {
            return AuthError.USER_EMPTY;
        }
        if (users.containsKey(name)) {
            return AuthError.USER_ALREADY_EXIST;
        }
        users.put(name, new AuthUser(name, passwordHash, List.of()));
        return changed();
    }

    /** Deletes a user; root cannot be deleted while auth is enabled. */
    public AuthError userDelete(String name) {
        if (enabled && ROOT.equals(name)) {
            return AuthError.INVALID_AUTH_MGMT;
        }
        if (users.remove(name) == null) {
            return AuthError.USER_NOT_FOUND;
        }
        return changed();
    }

    /** Replaces a user's password hash. */
    public AuthError userChangePassword(String name, byte[] passwordHash) {
        AuthUser u = users.get(name);
        if (u == null) {
            return AuthError.USER_NOT_FOUND;
        }
        users.put(name, new AuthUser(name, passwordHash, u.roles()));
        return changed();
    }

    /** Grants a role; the role must exist unless it is "root" (etcd 3.4). Already granted: OK, no change. */
    public AuthError userGrantRole(String name, String role) {
        AuthUser u = users.get(name);
        if (u == null) {
            return AuthError.USER_NOT_FOUND;
        }
        if (!ROOT.equals(role) && !roles.containsKey(role)) {
            return AuthError.ROLE_NOT_FOUND;
        }
        if (u.roles().contains(role)) {
            return AuthError.OK;
        }
        List<String> next = new ArrayList<>(u.roles());
        next.add(role);
        next.sort(NAME_ORDER);
        users.put(name, new AuthUser(name, u.passwordHash(), next));
        return changed();
    }

    /** Revokes a role; root's root role cannot be revoked while auth is enabled. */
    public AuthError userRevokeRole(String name, String role) {
        if (enabled && ROOT.equals(name) && ROOT.equals(role)) {
            return AuthError.INVALID_AUTH_MGMT;
        }
        AuthUser u = users.get(name);
        if (u == null) {
            return AuthError.USER_NOT_FOUND;
        }
        if (!u.roles().contains(role)) {
            return AuthError.ROLE_NOT_GRANTED;
        }
        List<String> next = new ArrayList<>(u.roles());
        next.remove(role);
        users.put(name, new AuthUser(name, u.passwordHash(), next));
        return changed();
    }

    /** @return the user, or USER_NOT_FOUND */
    public Lookup<AuthUser> userGet(String name) {
        AuthUser u = users.get(name);
        return u == null ? Lookup.missing(AuthError.USER_NOT_FOUND) : Lookup.found(u);
    }

    /** @return every user name, sorted */
    public List<String> userList() {
        return List.copyOf(users.keySet());
    }

    /** Adds a role without permissions. */
    public AuthError roleAdd(String name) {
        if (name.isEmpty()) {
            return AuthError.ROLE_EMPTY;
        }
        if (roles.containsKey(name)) {
            return AuthError.ROLE_ALREADY_EXIST;
        }
        roles.put(name, List.of());
        return changed();
    }

    /** Deletes a role and revokes it from every user; role root cannot be deleted while auth is enabled. */
    public AuthError roleDelete(String name) {
        if (enabled && ROOT.equals(name)) {
            return AuthError.INVALID_AUTH_MGMT;
        }
        if (roles.remove(name) == null) {
            return AuthError.ROLE_NOT_FOUND;
        }
        for (AuthUser u : List.copyOf(users.values())) {
            if (u.roles().contains(name)) {
                List<String> next = new ArrayList<>(u.roles());
                next.remove(name);
                users.put(u.name(), new AuthUser(u.name(), u.passwordHash(), next));
            }
        }
        return changed();
    }

    /** @return the role's permissions (sorted by key), or ROLE_NOT_FOUND */
    public Lookup<List<Permission>> roleGet(String name) {
        List<Permission> perms = roles.get(name);
        return perms == null ? Lookup.missing(AuthError.ROLE_NOT_FOUND) : Lookup.found(perms);
    }

    /** @return every role name, sorted */
    public List<String> roleList() {
        return List.copyOf(roles.keySet());
    }

    /** Grants a permission; one with the same key and range end has its type replaced (etcd). */
    public AuthError roleGrantPermission(String role, Permission perm) {
        List<Permission> perms = roles.get(role);
        if (perms == null) {
            return AuthError.ROLE_NOT_FOUND;
        }
        List<Permission> next = new ArrayList<>(perms);
        next.removeIf(p -> p.sameRange(perm.key(), perm.rangeEnd()));
        next.add(perm);
        next.sort((a, b) -> a.compareRange(b.key(), b.rangeEnd()));
        roles.put(role, List.copyOf(next));
        return changed();
    }

    /** Revokes the permission with exactly this key and range end. */
    public AuthError roleRevokePermission(String role, byte[] key, byte[] rangeEnd) {
        List<Permission> perms = roles.get(role);
        if (perms == null) {
            return AuthError.ROLE_NOT_FOUND;
        }
        List<Permission> next = new ArrayList<>(perms);
        if (!next.removeIf(p -> p.sameRange(key, rangeEnd))) {
            return AuthError.PERMISSION_NOT_GRANTED;
        }
        roles.put(role, List.copyOf(next));
        return changed();
    }

    /**
     * etcd's {@code isOpPermitted}: OK when auth is disabled or the user holds role root; otherwise the user's
     * permissions of a type allowing {@code wanted} (READ or WRITE) must cover the request.
     */
    public AuthError isPermitted(String user, byte[] key, byte[] rangeEnd, PermissionType wanted) {
        if (!enabled) {
            return AuthError.OK;
        }
        if (user.isEmpty()) {
            return AuthError.USER_EMPTY;
        }
        AuthUser u = users.get(user);
        if (u == null) {
            return AuthError.PERMISSION_DENIED;
        }
        if (u.roles().contains(ROOT)) {
            return AuthError.OK;
        }
        List<Permission> perms = new ArrayList<>();
        for (String r : u.roles()) {
            perms.addAll(roles.getOrDefault(r, List.of()));
        }
        return RangeCoverage.covers(perms, wanted, key, rangeEnd) ? AuthError.OK : AuthError.PERMISSION_DENIED;
    }

    /**
     * etcd's {@code IsAdminPermitted}: OK when auth is disabled or the user holds role root; USER_NOT_FOUND for
     * a user that does not exist.
     */
    public AuthError isAdmin(String user) {
        if (!enabled) {
            return AuthError.OK;
        }
        if (user.isEmpty()) {
            return AuthError.USER_EMPTY;
        }
        AuthUser u = users.get(user);
        if (u == null) {
            return AuthError.USER_NOT_FOUND; // etcd's IsAdminPermitted, unlike isOpPermitted's "permission denied"
        }
        return u.roles().contains(ROOT) ? AuthError.OK : AuthError.PERMISSION_DENIED;
    }

    /** Writes the whole store at {@code offset}; @return the bytes written, equal to {@link #length()} */
    public int writeTo(org.agrona.MutableDirectBuffer buffer, int offset) {
        return AuthCodec.write(this, buffer, offset);
    }

    /** @return the length of the snapshot {@link #writeTo} writes */
    public int length() {
        return AuthCodec.length(this);
    }

    /**
     * Decodes a snapshot written by {@link #writeTo}, validating every byte and the invariants.
     *
     * @return the store, or a one-line reason the bytes were refused; never throws on garbage
     */
    public static Decoded readFrom(org.agrona.DirectBuffer buffer, int offset, int length) {
        return AuthCodec.read(buffer, offset, length);
    }

    /** {@link #readFrom}'s typed result: exactly one of {@code store} and {@code error} is non-null. */
    public record Decoded(AuthStore store, String error) {
    }

    private AuthError changed() {
        revision++;
        AuthInvariants.check(this);
        return AuthError.OK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthStore s && AuthCodec.sameBytes(this, s);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(revision) ^ users.keySet().hashCode() ^ roles.keySet().hashCode();
    }
}
