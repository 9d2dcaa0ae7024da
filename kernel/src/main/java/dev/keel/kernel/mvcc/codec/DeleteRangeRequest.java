package dev.keel.kernel.mvcc.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** Flyweight over an encoded DeleteRange: {@code header | key | rangeEnd}. */
public final class DeleteRangeRequest extends KeyRangeView {
    public static final int PREV_KV = 1;

    @Override
    protected int type() {
        return RequestType.DELETE_RANGE;
    }

    @Override
    protected boolean parseBody(int at) {
        return parseKeyRange(at);
    }

    /** @return whether the previous kv(s) are asked for */
    public boolean prevKv() {
        return hasFlag(PREV_KV);
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
