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
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int end = ByteField.end(buffer, p, limit);
            if (end < 0) {
                return null;
            }
            names.add(buffer.getStringWithoutLengthUtf8(p + ByteField.PREFIX, end - p - ByteField.PREFIX));
            p = end;
        }
        return p == limit ? names : null;
    }

    /** @return the permissions of a ROLE_GET body, or null if malformed */
    public static List<Permission> permissions(DirectBuffer buffer, int offset, int length) {
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
        List<Permission> perms = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (p + 1 > limit || (buffer.getByte(p) & 0xFF) >= PermissionType.values().length) {
                return null;
            }
            PermissionType type = PermissionType.values()[buffer.getByte(p) & 0xFF];
            int keyEnd = ByteField.end(buffer, p + 1, limit);
            int rangeEnd = ByteField.end(buffer, keyEnd, limit);
            if (rangeEnd < 0) {
                return null;
            }
            perms.add(new Permission(type, copy(buffer, p + 1, keyEnd), copy(buffer, keyEnd, rangeEnd)));
            p = rangeEnd;
        }
        return p == limit ? perms : null;
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
