package dev.keel.kernel.auth.wire;

import dev.keel.kernel.auth.PermissionType;
import dev.keel.kernel.mvcc.codec.ByteField;
import dev.keel.kernel.mvcc.codec.RequestType;
import org.agrona.DirectBuffer;

/**
 * Validating flyweight over an encoded {@link AuthRequest}: {@link #wrap} checks every length before any
 * accessor reads, so arbitrary bytes give {@code false}, never an exception.
 */
public final class AuthRequestView {
    private final int[] fieldAt = new int[AuthRequest.FIELD_COUNT];
    private DirectBuffer buffer;
    private int offset;

    /** @return whether the bytes are a well-formed auth request (accessors are valid only then) */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        if (length < AuthRequest.FIELDS_AT || RequestType.typeOf(buffer, offset, length) != RequestType.AUTH) {
            return false;
        }
        if (AuthOp.fromWire(buffer.getByte(offset + AuthRequest.OP_AT) & 0xFF) == null
                || (buffer.getByte(offset + AuthRequest.PERM_AT) & 0xFF) >= PermissionType.values().length) {
            return false;
        }
        int limit = offset + length;
        int p = offset + AuthRequest.FIELDS_AT;
        for (int i = 0; i < AuthRequest.FIELD_COUNT; i++) {
            fieldAt[i] = p;
            p = ByteField.end(buffer, p, limit);
            if (p < 0) {
                return false;
            }
        }
        return p == limit;
    }

    /** @return the operation */
    public AuthOp op() {
        return AuthOp.fromWire(buffer.getByte(offset + AuthRequest.OP_AT) & 0xFF);
    }

    /** @return the permission type (ROLE_GRANT_PERMISSION) */
    public PermissionType permType() {
        return PermissionType.values()[buffer.getByte(offset + AuthRequest.PERM_AT) & 0xFF];
    }

    /** @return the auth revision the node checked the password at (AUTHENTICATE) */
    public long checkedRevision() {
        return buffer.getLong(offset + AuthRequest.REVISION_AT);
    }

    /** @return user or role name */
    public String name() {
        return string(0);
    }

    /** @return the password hash */
    public byte[] passwordHash() {
        return bytes(1);
    }

    /** @return the role granted or revoked */
    public String role() {
        return string(2);
    }

    /** @return the permission key */
    public byte[] key() {
        return bytes(3);
    }

    /** @return the permission range end */
    public byte[] rangeEnd() {
        return bytes(4);
    }

    /** @return the simple token */
    public String token() {
        return string(5);
    }

    /** @return a copy as a record */
    public AuthRequest toRequest() {
        return new AuthRequest(op(), name(), passwordHash(), role(), key(), rangeEnd(), permType(), token(),
                checkedRevision());
    }

    private String string(int field) {
        int at = fieldAt[field];
        return buffer.getStringWithoutLengthUtf8(at + ByteField.PREFIX, ByteField.length(buffer, at));
    }

    private byte[] bytes(int field) {
        int at = fieldAt[field];
        byte[] b = new byte[ByteField.length(buffer, at)];
        buffer.getBytes(at + ByteField.PREFIX, b);
        return b;
    }
}
