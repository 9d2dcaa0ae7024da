package dev.keel.kernel.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.kernel.testing.Property;
import dev.keel.kernel.util.SplitMix64;
import java.nio.charset.StandardCharsets;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The snapshot format: round trip, determinism, and refusal of truncated, corrupted and random bytes. */
class AuthSnapshotTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static AuthStore sample() {
        AuthStore s = new AuthStore();
        s.userAdd("root", b("hash"));
        s.roleAdd("root");
        s.roleAdd("reader");
        s.userGrantRole("root", "root");
        s.userAdd("alice", b("h2"));
        s.userGrantRole("alice", "reader");
        s.roleGrantPermission("reader", new Permission(PermissionType.READ, b("foo"), b("fop")));
        s.roleGrantPermission("reader", new Permission(PermissionType.WRITE, b("x"), b("\0")));
        s.authEnable();
        return s;
    }

    private static byte[] bytes(AuthStore s) {
        ExpandableArrayBuffer buf = new ExpandableArrayBuffer(64);
        int len = s.writeTo(buf, 0);
        byte[] out = new byte[len];
        buf.getBytes(0, out);
        return out;
    }

    @Test
    void roundTripIsExactAndDeterministic() {
        AuthStore s = sample();
        byte[] a = bytes(s);
        AuthStore.Decoded d = AuthStore.readFrom(new UnsafeBuffer(a), 0, a.length);
        assertNull(d.error());
        assertEquals(s, d.store());
        assertTrue(d.store().enabled());
        assertEquals(AuthError.OK, d.store().isPermitted("alice", b("foo1"), b(""), PermissionType.READ));
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(bytes(sample())));
        assertEquals(a.length, s.length());
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] a = bytes(sample());
        for (int len = 0; len < a.length; len++) {
            assertNotNull(AuthStore.readFrom(new UnsafeBuffer(a), 0, len).error(), "length " + len);
        }
        assertNotNull(AuthStore.readFrom(new UnsafeBuffer(a), 0, a.length + 1).error());
        assertNotNull(AuthStore.readFrom(new UnsafeBuffer(a), -1, 4).error());
    }

    @Test
    void flippedBytesAreRefusedOrDecodeToAValidStore() {
        byte[] orig = bytes(sample());
        Property.forAll("auth-snapshot-fuzz", 300, seed -> {
            SplitMix64 r = new SplitMix64(seed);
            byte[] a = orig.clone();
            for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                a[r.nextInt(a.length)] = (byte) r.nextInt(256);
            }
            AuthStore.Decoded d = AuthStore.readFrom(new UnsafeBuffer(a), 0, a.length);
            assertTrue(d.error() != null ^ d.store() != null);
            if (d.store() != null) {
                assertNull(AuthInvariants.firstBroken(d.store()));
            }
        });
    }

    @Test
    void randomBytesAreRefused() {
        Property.forAll("auth-snapshot-garbage", 300, seed -> {
            SplitMix64 r = new SplitMix64(seed);
            byte[] a = new byte[r.nextInt(64)];
            for (int i = 0; i < a.length; i++) {
                a[i] = (byte) r.nextInt(256);
            }
            assertNotNull(AuthStore.readFrom(new UnsafeBuffer(a), 0, a.length).error());
        });
    }

    @Test
    void aUserHoldingAMissingRoleIsRefused() {
        AuthStore s = new AuthStore();
        s.userAdd("alice", b("h"));
        s.roleAdd("r");
        s.userGrantRole("alice", "r");
        byte[] a = bytes(s);
        a[a.length - 4 - 1] = 'q'; // the role's own name "r" -> "q"; alice still holds "r"
        AuthStore.Decoded d = AuthStore.readFrom(new UnsafeBuffer(a), 0, a.length);
        assertNotNull(d.error());
        assertTrue(d.error().contains("missing role"), d.error());
    }
}
