package dev.keel.kernel.auth.wire;

import dev.keel.kernel.auth.PermissionType;
import dev.keel.kernel.mvcc.codec.ByteField;
import dev.keel.kernel.mvcc.codec.RequestType;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * An auth request as the node builds it, and its encoding: {@code header(type AUTH) | op:u8 | permType:u8 |
 * checkedRevision:i64 | name | passwordHash | role | key | rangeEnd | token}, each variable field a
 * {@link ByteField} ({@code length:i32 | bytes}); strings are UTF-8. Fields an op does not use are empty.
 *
 * @param op              what to do
 * @param name            user name (user ops, AUTHENTICATE) or role name (role ops)
 * @param passwordHash    bcrypt hash computed by the node (USER_ADD, USER_CHANGE_PASSWORD)
 * @param role            role granted or revoked (USER_GRANT_ROLE, USER_REVOKE_ROLE)
 * @param key             permission key (ROLE_GRANT_PERMISSION, ROLE_REVOKE_PERMISSION)
 * @param rangeEnd        permission range end (same ops)
 * @param permType        permission type (ROLE_GRANT_PERMISSION)
 * @param token           simple token the node generated (AUTHENTICATE; empty for JWT)
 * @param checkedRevision auth revision the node checked the password at (AUTHENTICATE)
 */
public record AuthRequest(AuthOp op, String name, byte[] passwordHash, String role, byte[] key, byte[] rangeEnd,
                          PermissionType permType, String token, long checkedRevision) {
    /** Offset of the fixed fields after the request header. */
    static final int OP_AT = RequestType.HEADER_LENGTH;
    static final int PERM_AT = OP_AT + 1;
    static final int REVISION_AT = PERM_AT + 1;
    static final int FIELDS_AT = REVISION_AT + Long.BYTES;
    static final int FIELD_COUNT = 6;
    private static final byte[] NONE = new byte[0];

    /** Copies arrays and turns nulls into empty fields, so every field encodes. */
    public AuthRequest {
        name = name == null ? "" : name;
        role = role == null ? "" : role;
        token = token == null ? "" : token;
        passwordHash = passwordHash == null ? NONE : passwordHash.clone();
        key = key == null ? NONE : key.clone();
        rangeEnd = rangeEnd == null ? NONE : rangeEnd.clone();
        permType = permType == null ? PermissionType.READ : permType;
    }

    /** An op with no arguments (ENABLE, DISABLE, USER_LIST, ROLE_LIST). */
    public static AuthRequest of(AuthOp op) {
        return new AuthRequest(op, "", null, "", null, null, null, "", 0);
    }

    /** An op on one user or role name (USER_GET, USER_DELETE, ROLE_ADD, ROLE_GET, ROLE_DELETE). */
    public static AuthRequest named(AuthOp op, String name) {
        return new AuthRequest(op, name, null, "", null, null, null, "", 0);
    }

    /** USER_ADD or USER_CHANGE_PASSWORD with the node-computed hash. */
    public static AuthRequest withPassword(AuthOp op, String user, byte[] passwordHash) {
        return new AuthRequest(op, user, passwordHash, "", null, null, null, "", 0);
    }

    /** USER_GRANT_ROLE or USER_REVOKE_ROLE. */
    public static AuthRequest userRole(AuthOp op, String user, String role) {
        return new AuthRequest(op, user, null, role, null, null, null, "", 0);
    }

    /** ROLE_GRANT_PERMISSION or ROLE_REVOKE_PERMISSION (type ignored for a revoke). */
    public static AuthRequest permission(AuthOp op, String role, byte[] key, byte[] rangeEnd,
                                         PermissionType type) {
        return new AuthRequest(op, role, null, "", key, rangeEnd, type, "", 0);
    }

    /** AUTHENTICATE: the node checked the password at {@code checkedRevision} and generated {@code token}. */
    public static AuthRequest authenticate(String user, String token, long checkedRevision) {
        return new AuthRequest(AuthOp.AUTHENTICATE, user, null, "", null, null, null, token, checkedRevision);
    }

    @Override
    public byte[] passwordHash() {
        return passwordHash.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] rangeEnd() {
        return rangeEnd.clone();
    }

    /** Encodes into {@code out} at {@code at}; returns the length written. */
    public int encode(MutableDirectBuffer out, int at) {
        RequestType.writeHeader(out, at, RequestType.AUTH, 0);
        out.putByte(at + OP_AT, (byte) op.ordinal());
        out.putByte(at + PERM_AT, (byte) permType.ordinal());
        out.putLong(at + REVISION_AT, checkedRevision);
        int p = at + FIELDS_AT;
        p = utf8(out, p, name);
        p = bytes(out, p, passwordHash);
        p = utf8(out, p, role);
        p = bytes(out, p, key);
        p = bytes(out, p, rangeEnd);
        p = utf8(out, p, token);
        return p - at;
    }

    /** @return the encoding as a fresh array (what the node proposes) */
    public byte[] toBytes() {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        int n = encode(out, 0);
        byte[] bytes = new byte[n];
        out.getBytes(0, bytes);
        return bytes;
    }

    private static int utf8(MutableDirectBuffer out, int p, String s) {
        int n = out.putStringWithoutLengthUtf8(p + ByteField.PREFIX, s);
        out.putInt(p, n);
        return p + ByteField.PREFIX + n;
    }

    private static int bytes(MutableDirectBuffer out, int p, byte[] b) {
        out.putInt(p, b.length);
        out.putBytes(p + ByteField.PREFIX, b);
        return p + ByteField.PREFIX + b.length;
    }
}
