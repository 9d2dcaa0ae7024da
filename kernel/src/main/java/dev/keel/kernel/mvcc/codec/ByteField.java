package dev.keel.kernel.mvcc.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** A length-prefixed byte field ({@code length:i32 | bytes}) inside an encoded message. */
public final class ByteField {
    /** Bytes of the length prefix. */
    public static final int PREFIX = Integer.BYTES;

    private ByteField() {
    }

    /**
     * @return the offset just after the field at {@code at}, or -1 if it does not fit before {@code limit}
     */
    public static int end(DirectBuffer buffer, int at, int limit) {
        if (at < 0 || at + PREFIX > limit) {
            return -1;
        }
        int length = buffer.getInt(at);
        if (length < 0 || length > limit - at - PREFIX) {
            return -1;
        }
        return at + PREFIX + length;
    }

    /** @return the length of the field at {@code at} (already bounds-checked by {@link #end}) */
    public static int length(DirectBuffer buffer, int at) {
        return buffer.getInt(at);
    }

    /** Writes a field; returns the offset just after it. */
    public static int write(MutableDirectBuffer out, int at, DirectBuffer src, int offset, int length) {
        out.putInt(at, length);
        if (length > 0) {
            out.putBytes(at + PREFIX, src, offset, length);
        }
        return at + PREFIX + length;
    }
}
