package dev.keel.kernel.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.keel.kernel.testing.Property;
import dev.keel.kernel.util.SplitMix64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

/**
 * Seeded random operation sequences over a small alphabet: isPermitted agrees with a brute-force checker, the
 * invariants hold after every step, and every state survives a snapshot round trip.
 *
 * <p>The brute force is exact: keys come from {0x00, a, b, c} of length at most 2 (plus prefix ends), so every
 * point where coverage can start or stop has length at most 3, and the universe holds every such key.
 */
class AuthPropertyTest {
    private static final byte[] ALPHABET = {0, 'a', 'b', 'c'};
    private static final List<byte[]> UNIVERSE = universe();
    private static final String[] USERS = {"root", "u1", "u2"};
    private static final String[] ROLES = {"root", "r1", "r2", "r3"};

    private static List<byte[]> universe() {
        List<byte[]> keys = new ArrayList<>();
        keys.add(new byte[0]);
        for (int len = 1; len <= 3; len++) {
            int n = (int) Math.pow(ALPHABET.length, len);
            for (int i = 0; i < n; i++) {
                byte[] k = new byte[len];
                for (int j = 0, v = i; j < len; j++, v /= ALPHABET.length) {
                    k[j] = ALPHABET[v % ALPHABET.length];
                }
                keys.add(k);
            }
        }
        return keys;
    }

    private static byte[] key(SplitMix64 r) {
        byte[] k = new byte[r.nextInt(3)];
        for (int i = 0; i < k.length; i++) {
            k[i] = ALPHABET[r.nextInt(ALPHABET.length)];
        }
        return k;
    }

    /** An end: single key, "\0" (to the end), the prefix end, or an arbitrary key. */
    private static byte[] end(SplitMix64 r, byte[] key) {
        switch (r.nextInt(4)) {
            case 0: return new byte[0];
            case 1: return new byte[] {0};
            case 2: {
                byte[] e = Arrays.copyOf(key, key.length);
                for (int i = e.length - 1; i >= 0; i--) {
                    if (e[i] != (byte) 0xff) {
                        e[i]++;
                        return Arrays.copyOf(e, i + 1);
                    }
                }
                return new byte[] {0};
            }
            default: return key(r);
        }
    }

    /** Brute force: every universe key the request selects lies in a permitted interval of the right type. */
    private static boolean bruteForce(AuthStore s, String user, byte[] key, byte[] end, PermissionType want) {
        List<Permission> perms = new ArrayList<>();
        for (String r : s.userGet(user).value().roles()) {
            perms.addAll(s.roleGet(r).error() == AuthError.OK ? s.roleGet(r).value() : List.of());
        }
        boolean point = end.length == 0 || end.length != 1 | end[0] != 0 && Arrays.compareUnsigned(end, key) <= 0;
        for (byte[] k : UNIVERSE) {
            boolean selected = point ? Arrays.equals(k, key) : in(k, key, end);
            if (!selected) {
                continue;
            }
            boolean ok = false;
            for (Permission p : perms) {
                boolean hit = p.rangeEnd().length == 0 ? Arrays.equals(k, p.key()) : in(k, p.key(), p.rangeEnd());
                ok |= hit && p.type().allows(want);
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean in(byte[] k, byte[] begin, byte[] end) {
        boolean toEnd = end.length == 1 && end[0] == 0;
        return Arrays.compareUnsigned(k, begin) >= 0 && (toEnd || Arrays.compareUnsigned(k, end) < 0);
    }

    private static void step(AuthStore s, SplitMix64 r) {
        String u = USERS[r.nextInt(USERS.length)];
        String role = ROLES[r.nextInt(ROLES.length)];
        byte[] k = key(r);
        switch (r.nextInt(11)) {
            case 0 -> s.userAdd(u, new byte[] {(byte) r.nextInt(256)});
            case 1 -> s.userDelete(u);
            case 2, 3 -> s.userGrantRole(u, role);
            case 4 -> s.userRevokeRole(u, role);
            case 5 -> s.roleAdd(role);
            case 6 -> s.roleDelete(role);
            case 7, 8 -> s.roleGrantPermission(role,
                    new Permission(PermissionType.values()[r.nextInt(3)], k, end(r, k)));
            case 9 -> s.roleRevokePermission(role, k, end(r, k));
            default -> s.authEnable();
        }
    }

    @Test
    void isPermittedMatchesBruteForceAndStateRoundTrips() {
        long[] checked = new long[3]; // checks made, allowed, denied: the property must see both answers
        Property.forAll("auth-permitted-vs-brute-force", 60, seed -> {
            SplitMix64 r = new SplitMix64(seed);
            AuthStore s = new AuthStore();
            ExpandableArrayBuffer buf = new ExpandableArrayBuffer(256);
            for (int i = 0; i < 80; i++) {
                step(s, r);
                assertNull(AuthInvariants.firstBroken(s));
                if (!s.enabled()) {
                    continue;
                }
                for (String u : s.userList()) {
                    byte[] k = key(r);
                    byte[] e = end(r, k);
                    PermissionType want = r.nextInt(2) == 0 ? PermissionType.READ : PermissionType.WRITE;
                    boolean root = s.userGet(u).value().roles().contains(AuthStore.ROOT);
                    boolean expected = root || bruteForce(s, u, k, e, want);
                    checked[0]++;
                    checked[expected ? 1 : 2]++;
                    assertEquals(expected, s.isPermitted(u, k, e, want) == AuthError.OK,
                            () -> u + " " + Arrays.toString(k) + ".." + Arrays.toString(e) + " " + want);
                }
            }
            int len = s.writeTo(buf, 3);
            assertEquals(s.length(), len);
            AuthStore.Decoded d = AuthStore.readFrom(buf, 3, len);
            assertNull(d.error());
            assertEquals(s, d.store());
            assertEquals(s.revision(), d.store().revision());
        });
        System.out.println("auth property: " + checked[0] + " checks, " + checked[1] + " allowed, "
                + checked[2] + " denied");
        org.junit.jupiter.api.Assertions.assertTrue(checked[1] > 100 && checked[2] > 100, "too few checks");
    }
}
