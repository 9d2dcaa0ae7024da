package dev.keel.kernel.auth.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.Permission;
import dev.keel.kernel.auth.PermissionType;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.testing.Property;
import dev.keel.kernel.util.SplitMix64;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Auth request, response and envelope codecs: round trips, truncation, and random bytes never throwing. */
class AuthWireCodecTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static AuthRequest sample() {
        return new AuthRequest(AuthOp.ROLE_GRANT_PERMISSION, "rôle", b("hash"), "r2", b("/config/"),
                b("/config0"), PermissionType.READWRITE, "tok.1", 42);
    }

    @Test
    void everyOpRoundTrips() {
        for (AuthOp op : AuthOp.values()) {
            AuthRequest in = new AuthRequest(op, "n", b("h"), "r", b("k"), b("e"), PermissionType.WRITE, "t", 7);
            byte[] bytes = in.toBytes();
            AuthRequestView view = new AuthRequestView();
            assertTrue(view.wrap(new UnsafeBuffer(bytes), 0, bytes.length));
            AuthRequest out = view.toRequest();
            assertEquals(op, out.op());
            assertEquals("n", out.name());
            assertArrayEquals(b("h"), out.passwordHash());
            assertEquals("r", out.role());
            assertArrayEquals(b("k"), out.key());
            assertArrayEquals(b("e"), out.rangeEnd());
            assertEquals(PermissionType.WRITE, out.permType());
            assertEquals("t", out.token());
            assertEquals(7, out.checkedRevision());
        }
    }

    @Test
    void everyTruncationAndExtensionIsRefused() {
        byte[] bytes = sample().toBytes();
        AuthRequestView view = new AuthRequestView();
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[bytes.length + 1]);
        buffer.putBytes(0, bytes);
        for (int n = 0; n <= bytes.length + 1; n++) {
            assertEquals(n == bytes.length, view.wrap(buffer, 0, n), "length " + n);
        }
        assertEquals("rôle", view.wrap(buffer, 0, bytes.length) ? view.name() : null);
    }

    @Test
    void randomBytesNeverThrow() {
        Property.forAll("auth wire decoders on random bytes", 3000, seed -> {
            SplitMix64 rnd = new SplitMix64(seed);
            byte[] bytes = rnd.nextInt(4) == 0 ? sample().toBytes() : new byte[rnd.nextInt(80)];
            int flips = 1 + rnd.nextInt(6);
            for (int i = 0; i < flips && bytes.length > 0; i++) {
                bytes[rnd.nextInt(bytes.length)] = (byte) rnd.nextLong();
            }
            if (bytes.length >= RequestType.HEADER_LENGTH && rnd.nextInt(2) == 0) {
                bytes[0] = RequestType.VERSION;
                bytes[1] = (byte) (RequestType.AUTH + rnd.nextInt(2));
            }
            UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            AuthRequestView view = new AuthRequestView();
            if (view.wrap(buffer, 0, bytes.length)) {
                view.toRequest();
            }
            AuthEnvelope envelope = new AuthEnvelope();
            if (envelope.wrap(buffer, 0, bytes.length)) {
                assertTrue(envelope.innerLength() >= 0);
                envelope.user();
            }
            AuthResponseView.names(buffer, 0, bytes.length);
            AuthResponseView.permissions(buffer, 0, bytes.length);
            AuthResponseView.authenticated(buffer, 0, bytes.length);
            AuthResponseView.authError(buffer, 0, bytes.length);
        });
    }

    @Test
    void envelopeCarriesUserRevisionAndInner() {
        byte[] inner = sample().toBytes();
        byte[] bytes = AuthEnvelope.encode("alice", 9, inner);
        AuthEnvelope envelope = new AuthEnvelope();
        assertTrue(envelope.wrap(new UnsafeBuffer(bytes), 0, bytes.length));
        assertEquals("alice", envelope.user());
        assertEquals(9, envelope.authRevision());
        assertEquals(inner.length, envelope.innerLength());
        byte[] copy = new byte[inner.length];
        new UnsafeBuffer(bytes).getBytes(envelope.innerAt(), copy);
        assertArrayEquals(inner, copy);
        assertFalse(envelope.wrap(new UnsafeBuffer(bytes), 0, 5 + 2));
    }

    @Test
    void responsesRoundTrip() {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        int n = AuthResponse.names(out, 0, 5, List.of("a", "bé"));
        assertEquals(List.of("a", "bé"), AuthResponseView.names(out, 0, n));
        assertNull(AuthResponseView.names(out, 0, n - 1));
        List<Permission> perms = List.of(new Permission(PermissionType.READ, b("k"), b("\0")));
        n = AuthResponse.permissions(out, 0, 5, perms);
        List<Permission> back = AuthResponseView.permissions(out, 0, n);
        assertEquals(1, back.size());
        assertArrayEquals(b("\0"), back.get(0).rangeEnd());
        n = AuthResponse.authenticated(out, 0, 5, 3, "alice", "tok");
        assertEquals(new AuthResponseView.Authenticated(3, "alice", "tok"), AuthResponseView.authenticated(out, 0, n));
        n = AuthResponse.error(out, 0, RequestType.PUT, AuthError.PERMISSION_DENIED, 5);
        assertEquals(AuthError.PERMISSION_DENIED, AuthResponseView.authError(out, 0, n));
        n = AuthResponse.ok(out, 0, 5);
        assertEquals(AuthError.OK, AuthResponseView.authError(out, 0, n));
        assertEquals(ResponseLayout.AUTH, out.getByte(ResponseLayout.TYPE_OFFSET));
    }
}
