package dev.keel.kernel.mvcc.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** Flyweight over an encoded DeleteRange: {@code header | key | rangeEnd}. */
public final class DeleteRangeRequest extends RequestView {
    public static final int PREV_KV = 1;

    private int keyAt;
    private int endAt;

    @Override
    protected int type() {
        return RequestType.DELETE_RANGE;
    }

    @Override
    protected boolean parseBody(int at) {
        keyAt = at;
        endAt = ByteField.end(buffer, keyAt, limit);
        return ByteField.end(buffer, endAt, limit) == limit;
    }

    public boolean prevKv() {
        return hasFlag(PREV_KV);
    }

    public int keyOffset() {
        return keyAt + ByteField.PREFIX;
    }

    public int keyLength() {
        return ByteField.length(buffer, keyAt);
    }

    public int rangeEndOffset() {
        return endAt + ByteField.PREFIX;
    }

    public int rangeEndLength() {
        return ByteField.length(buffer, endAt);
    }

    /** Encodes a DeleteRange at {@code at}; returns its length. */
    public static int encode(MutableDirectBuffer out, int at, DirectBuffer key, int keyOffset, int keyLength,
                             DirectBuffer rangeEnd, int endOffset, int endLength, int flags) {
        int p = RequestType.writeHeader(out, at, RequestType.DELETE_RANGE, flags);
        p = ByteField.write(out, p, key, keyOffset, keyLength);
        p = ByteField.write(out, p, rangeEnd, endOffset, endLength);
        return p - at;
    }
}
