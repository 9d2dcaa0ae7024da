package dev.keel.kernel.mvcc.codec;

import org.agrona.DirectBuffer;

/**
 * Base of the request flyweights: wraps encoded bytes without copying. {@code wrap} checks that every field
 * lies within the given length, so a view over bad bytes is refused instead of reading out of bounds.
 */
public abstract class RequestView {
    protected DirectBuffer buffer;
    protected int offset;
    protected int limit;
    protected int flags;

    /** @return whether the bytes hold a well-formed request of this view's type */
    public final boolean wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.limit = offset + length;
        if (length < RequestType.HEADER_LENGTH || buffer.getByte(offset) != RequestType.VERSION
                || buffer.getByte(offset + RequestType.TYPE_OFFSET) != type()) {
            return false;
        }
        this.flags = RequestType.flagsOf(buffer, offset);
        return parseBody(offset + RequestType.HEADER_LENGTH);
    }

    /** @return the buffer the view reads */
    public final DirectBuffer buffer() {
        return buffer;
    }

    /** @return the offset where the wrapped request starts */
    public final int offset() {
        return offset;
    }

    /** @return the length of the wrapped request */
    public final int length() {
        return limit - offset;
    }

    /** @return the {@link RequestType} constant this view decodes */
    protected abstract int type();

    /** Records field offsets; returns false when something does not fit. */
    protected abstract boolean parseBody(int at);

    protected final boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    protected final boolean fits(int at, int bytes) {
        return at >= 0 && at + bytes <= limit;
    }
}
