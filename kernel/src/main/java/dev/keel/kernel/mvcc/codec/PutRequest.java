package dev.keel.kernel.mvcc.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** Flyweight over an encoded Put: {@code header | lease:i64 | key | value}. */
public final class PutRequest extends RequestView {
    public static final int PREV_KV = 1;
    public static final int IGNORE_VALUE = 2;
    public static final int IGNORE_LEASE = 4;

    private int keyAt;
    private int valueAt;

    @Override
    protected int type() {
        return RequestType.PUT;
    }

    @Override
    protected boolean parseBody(int at) {
        if (!fits(at, Long.BYTES)) {
            return false;
        }
        keyAt = at + Long.BYTES;
        valueAt = ByteField.end(buffer, keyAt, limit);
        return ByteField.end(buffer, valueAt, limit) == limit;
    }

    /** @return lease ID to attach, 0 for none */
    public long lease() {
        return buffer.getLong(offset + RequestType.HEADER_LENGTH);
    }

    /** @return offset of the key's bytes */
    public int keyOffset() {
        return keyAt + ByteField.PREFIX;
    }

    /** @return length of the key */
    public int keyLength() {
        return ByteField.length(buffer, keyAt);
    }

    /** @return offset of the value's bytes */
    public int valueOffset() {
        return valueAt + ByteField.PREFIX;
    }

    /** @return length of the value */
    public int valueLength() {
        return ByteField.length(buffer, valueAt);
    }

    /** @return whether the previous kv(s) are asked for */
    public boolean prevKv() {
        return hasFlag(PREV_KV);
    }

    /** @return etcd's ignore_value */
    public boolean ignoreValue() {
        return hasFlag(IGNORE_VALUE);
    }

    /** @return etcd's ignore_lease */
    public boolean ignoreLease() {
        return hasFlag(IGNORE_LEASE);
    }

    /** Encodes a Put at {@code at}; returns its length. {@code flags} combines the constants above. */
    public static int encode(MutableDirectBuffer out, int at, DirectBuffer key, int keyOffset, int keyLength,
                             DirectBuffer value, int valueOffset, int valueLength, long lease, int flags) {
        int p = RequestType.writeHeader(out, at, RequestType.PUT, flags);
        out.putLong(p, lease);
        p = ByteField.write(out, p + Long.BYTES, key, keyOffset, keyLength);
        p = ByteField.write(out, p, value, valueOffset, valueLength);
        return p - at;
    }
}
