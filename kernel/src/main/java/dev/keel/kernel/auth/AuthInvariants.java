package dev.keel.kernel.auth;

import java.util.List;

/** The auth store's invariants, checked after every change and after every decode. */
final class AuthInvariants {
    private AuthInvariants() {
    }

    /** @throws IllegalStateException naming the first broken invariant */
    static void check(AuthStore s) {
        String broken = firstBroken(s);
        if (broken != null) {
            throw new IllegalStateException("auth invariant broken: " + broken);
        }
    }

    /** @return a one-line description of the first broken invariant, or null when all hold */
    static String firstBroken(AuthStore s) {
        for (AuthUser u : s.users.values()) {
            List<String> r = u.roles();
            for (int i = 0; i < r.size(); i++) {
                if (i > 0 && AuthStore.NAME_ORDER.compare(r.get(i - 1), r.get(i)) >= 0) {
                    return "roles of user " + u.name() + " not sorted and unique";
                }
                if (!AuthStore.ROOT.equals(r.get(i)) && !s.roles.containsKey(r.get(i))) {
                    return "user " + u.name() + " holds missing role " + r.get(i);
                }
            }
        }
        for (var e : s.roles.entrySet()) {
            List<Permission> p = e.getValue();
            for (int i = 1; i < p.size(); i++) {
                if (p.get(i - 1).compareRange(p.get(i).key(), p.get(i).rangeEnd()) >= 0) {
                    return "permissions of role " + e.getKey() + " not sorted and unique";
                }
            }
        }
        if (s.enabled) {
            AuthUser root = s.users.get(AuthStore.ROOT);
            if (root == null || !root.roles().contains(AuthStore.ROOT)) {
                return "auth enabled without user root holding role root";
            }
        }
        return s.revision < 0 ? "negative auth revision" : null;
    }
}
