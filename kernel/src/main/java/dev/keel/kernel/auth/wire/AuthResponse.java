package dev.keel.kernel.auth.wire;

import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.Permission;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import org.agrona.MutableDirectBuffer;

import java.util.List;

/**
 * Writes auth responses: the usual {@link ResponseLayout} header of type {@link ResponseLayout#AUTH} (an error
 * is {@code AUTH_ERROR_BASE + AuthError.wireId()} with no body) and a body per op:
 * <ul>
 * <li>USER_GET: {@code count:i32 | role*}; USER_LIST, ROLE_LIST: {@code count:i32 | name*};</li>
 * <li>ROLE_GET: {@code count:i32 | (type:u8 | key | rangeEnd)*};</li>
 * <li>AUTHENTICATE: {@code authRevision:i64 | user | token};</li>
 * <li>every other op: nothing.</li>
 * </ul>
 * Strings and byte arrays are {@code length:i32 | bytes} (UTF-8 for strings). Read them with
 * {@link AuthResponseView}.
 */
public final class AuthResponse {
    private AuthResponse() {
    }

    /** Writes an error response of any {@code type} carrying an auth error; returns its length. */
    public static int error(MutableDirectBuffer out, int at, int type, AuthError error, long revision) {
        return ResponseLayout.writeError(out, at, type, ResponseLayout.AUTH_ERROR_BASE + error.wireId(), revision);
    }

    /** Writes a success with no body; returns its length. */
    public static int ok(MutableDirectBuffer out, int at, long revision) {
        return ResponseLayout.writeHeader(out, at, ResponseLayout.AUTH, 0, 0, revision) - at;
    }

    /** Writes a success whose body is a list of names (USER_GET roles, USER_LIST, ROLE_LIST). */
    public static int names(MutableDirectBuffer out, int at, long revision, List<String> names) {
        int p = ResponseLayout.writeHeader(out, at, ResponseLayout.AUTH, 0, 0, revision);
        out.putInt(p, names.size());
        p += Integer.BYTES;
        for (String name : names) {
            p = utf8(out, p, name);
        }
        return p - at;
    }

    /** Writes a ROLE_GET success. */
    public static int permissions(MutableDirectBuffer out, int at, long revision, List<Permission> perms) {
        int p = ResponseLayout.writeHeader(out, at, ResponseLayout.AUTH, 0, 0, revision);
        out.putInt(p, perms.size());
        p += Integer.BYTES;
        for (Permission perm : perms) {
            out.putByte(p++, (byte) perm.type().ordinal());
            p = bytes(out, p, perm.key());
            p = bytes(out, p, perm.rangeEnd());
        }
        return p - at;
    }

    /** Writes an AUTHENTICATE success. */
    public static int authenticated(MutableDirectBuffer out, int at, long revision, long authRevision,
                                    String user, String token) {
        int p = ResponseLayout.writeHeader(out, at, ResponseLayout.AUTH, 0, 0, revision);
        out.putLong(p, authRevision);
        p = utf8(out, p + Long.BYTES, user);
        p = utf8(out, p, token);
        return p - at;
    }

    private static int utf8(MutableDirectBuffer out, int p, String s) {
        int n = out.putStringWithoutLengthUtf8(p + Integer.BYTES, s);
        out.putInt(p, n);
        return p + Integer.BYTES + n;
    }

    private static int bytes(MutableDirectBuffer out, int p, byte[] b) {
        out.putInt(p, b.length);
        out.putBytes(p + Integer.BYTES, b);
        return p + Integer.BYTES + b.length;
    }
}
