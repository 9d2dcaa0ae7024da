package dev.keel.kernel.auth.wire;

import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.Permission;
import dev.keel.kernel.auth.PermissionType;
import dev.keel.kernel.mvcc.codec.ByteField;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes responses written by {@link AuthResponse} (the node's side). Body decoders validate lengths and
 * return null for bytes that do not hold the expected body.
 */
public final class AuthResponseView {
    private AuthResponseView() {
    }

    /** The AUTHENTICATE body. */
    public record Authenticated(long authRevision, String user, String token) {
    }

    /**
     * @return the auth error of any response (Put, Txn, Range, Auth...), {@link AuthError#OK} when it carries
     * none (success, or an MVCC error)
     */
    public static AuthError authError(DirectBuffer buffer, int offset, int length) {
        if (length < ResponseLayout.HEADER_LENGTH) {
            return AuthError.OK;
        }
        int error = buffer.getByte(offset + ResponseLayout.ERROR_OFFSET) & 0xFF;
        if (error < ResponseLayout.AUTH_ERROR_BASE) {
            return AuthError.OK;
        }
        AuthError auth = AuthError.fromWireId(error - ResponseLayout.AUTH_ERROR_BASE);
        return auth == null ? AuthError.INVALID_AUTH_MGMT : auth;
    }

    /** @return the names of a USER_GET (roles), USER_LIST or ROLE_LIST body, or null if malformed */
    public static List<String> names(DirectBuffer buffer, int offset, int length) {
        return list(buffer, offset, length, (b, p, limit, out) -> {
            int end = ByteField.end(b, p, limit);
            if (end >= 0) {
                out.add(b.getStringWithoutLengthUtf8(p + ByteField.PREFIX, end - p - ByteField.PREFIX));
            }
            return end;
        });
    }

    /** @return the permissions of a ROLE_GET body, or null if malformed */
    public static List<Permission> permissions(DirectBuffer buffer, int offset, int length) {
        return list(buffer, offset, length, (b, p, limit, out) -> {
            if (p + 1 > limit || (b.getByte(p) & 0xFF) >= PermissionType.values().length) {
                return -1;
            }
            PermissionType type = PermissionType.values()[b.getByte(p) & 0xFF];
            int keyEnd = ByteField.end(b, p + 1, limit);
            int rangeEnd = keyEnd < 0 ? -1 : ByteField.end(b, keyEnd, limit);
            if (rangeEnd >= 0) {
                out.add(new Permission(type, copy(b, p + 1, keyEnd), copy(b, keyEnd, rangeEnd)));
            }
            return rangeEnd;
        });
    }

    /** Decodes one element of a list body into {@code out}. */
    private interface ElementReader<T> {
        /** @return where the element at {@code p} ends, or -1 if it is malformed (then nothing is added) */
        int read(DirectBuffer buffer, int p, int limit, List<T> out);
    }

    /** @return a body of a count and that many elements, exactly filling it; null if malformed */
    private static <T> List<T> list(DirectBuffer buffer, int offset, int length, ElementReader<T> element) {
        int limit = offset + length;
        int p = offset + ResponseLayout.HEADER_LENGTH;
        if (p + Integer.BYTES > limit) {
            return null;
        }
        int count = buffer.getInt(p);
        p += Integer.BYTES;
        if (count < 0 || count > length) {
            return null;
        }
        List<T> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            p = element.read(buffer, p, limit, out);
            if (p < 0) {
                return null;
            }
        }
        return p == limit ? out : null;
    }

    /** @return the AUTHENTICATE body, or null if malformed */
    public static Authenticated authenticated(DirectBuffer buffer, int offset, int length) {
        int limit = offset + length;
        int p = offset + ResponseLayout.HEADER_LENGTH;
        if (p + Long.BYTES > limit) {
            return null;
        }
        long authRevision = buffer.getLong(p);
        int userEnd = ByteField.end(buffer, p + Long.BYTES, limit);
        int tokenEnd = ByteField.end(buffer, userEnd, limit);
        if (tokenEnd != limit) {
            return null;
        }
        int userAt = p + Long.BYTES + ByteField.PREFIX;
        return new Authenticated(authRevision,
                buffer.getStringWithoutLengthUtf8(userAt, userEnd - userAt),
                buffer.getStringWithoutLengthUtf8(userEnd + ByteField.PREFIX, tokenEnd - userEnd - ByteField.PREFIX));
    }

    private static byte[] copy(DirectBuffer buffer, int fieldAt, int fieldEnd) {
        byte[] b = new byte[fieldEnd - fieldAt - ByteField.PREFIX];
        buffer.getBytes(fieldAt + ByteField.PREFIX, b);
        return b;
    }
}
