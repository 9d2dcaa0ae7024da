package dev.keel.kernel.auth.wire;

import dev.keel.kernel.mvcc.codec.RequestType;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The envelope the node wraps around every client request: {@code header(type AUTHED) | authRevision:i64 |
 * userLen:u16 | user UTF-8 | inner request}. {@code authRevision} is the auth revision the node saw when it
 * authenticated the caller (0: no user, as etcd's empty AuthInfo). Requests without an envelope are the
 * replica's own (lease expiry, auto compaction) and are never checked.
 * The flyweight methods validate before reading, so arbitrary bytes never throw.
 */
public final class AuthEnvelope {
    static final int REVISION_AT = RequestType.HEADER_LENGTH;
    static final int USER_LENGTH_AT = REVISION_AT + Long.BYTES;
    static final int USER_AT = USER_LENGTH_AT + Short.BYTES;
    /** Longest user name in UTF-8 bytes the u16 length holds. */
    public static final int MAX_USER_BYTES = 0xFFFF;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * Wraps {@code inner} for {@code user} (empty: no user) seen at {@code authRevision}.
     *
     * @throws IllegalArgumentException if the user name is longer than {@link #MAX_USER_BYTES}
     */
    public static byte[] encode(String user, long authRevision, byte[] inner) {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(USER_AT + inner.length + 16);
        int n = encode(out, 0, user, authRevision, inner, 0, inner.length);
        byte[] bytes = new byte[n];
        out.getBytes(0, bytes);
        return bytes;
    }

    /** Writes the envelope at {@code at}; returns its length. */
    public static int encode(MutableDirectBuffer out, int at, String user, long authRevision,
                             byte[] inner, int innerOffset, int innerLength) {
        RequestType.writeHeader(out, at, RequestType.AUTHED, 0);
        out.putLong(at + REVISION_AT, authRevision);
        int userBytes = out.putStringWithoutLengthUtf8(at + USER_AT, user == null ? "" : user);
        if (userBytes > MAX_USER_BYTES) {
            throw new IllegalArgumentException("user name longer than " + MAX_USER_BYTES + " bytes");
        }
        out.putShort(at + USER_LENGTH_AT, (short) userBytes);
        out.putBytes(at + USER_AT + userBytes, inner, innerOffset, innerLength);
        return USER_AT + userBytes + innerLength;
    }

    /** @return whether the bytes are a well-formed envelope (accessors valid only then) */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        if (length < USER_AT || RequestType.typeOf(buffer, offset, length) != RequestType.AUTHED) {
            return false;
        }
        return USER_AT + userLength() <= length;
    }

    /** @return the auth revision the node saw */
    public long authRevision() {
        return buffer.getLong(offset + REVISION_AT);
    }

    /** @return bytes of the user name */
    public int userLength() {
        return buffer.getShort(offset + USER_LENGTH_AT) & 0xFFFF;
    }

    /** @return absolute offset of the user name's bytes */
    public int userAt() {
        return offset + USER_AT;
    }

    /** @return the user name (allocates; the kernel's hot path compares bytes instead) */
    public String user() {
        return buffer.getStringWithoutLengthUtf8(userAt(), userLength());
    }

    /** @return absolute offset of the inner request */
    public int innerAt() {
        return offset + USER_AT + userLength();
    }

    /** @return length of the inner request */
    public int innerLength() {
        return length - USER_AT - userLength();
    }
}
