package dev.keel.kernel.mvcc.codec;

/**
 * A request view whose body ends with etcd's key range: {@code key | rangeEnd}, both length-prefixed. An
 * empty range end means the single key, {@code "\0"} every key from {@code key} on.
 */
public abstract class KeyRangeView extends RequestView {
    private int keyAt;
    private int endAt;

    /** Records the range starting at {@code at}; returns whether it ends exactly at the request's end. */
    protected final boolean parseKeyRange(int at) {
        keyAt = at;
        endAt = ByteField.end(buffer, keyAt, limit);
        return ByteField.end(buffer, endAt, limit) == limit;
    }

    /** @return offset of the key's bytes */
    public final int keyOffset() {
        return keyAt + ByteField.PREFIX;
    }

    /** @return length of the key */
    public final int keyLength() {
        return ByteField.length(buffer, keyAt);
    }

    /** @return offset of the range end's bytes */
    public final int rangeEndOffset() {
        return endAt + ByteField.PREFIX;
    }

    /** @return length of the range end (0: single key) */
    public final int rangeEndLength() {
        return ByteField.length(buffer, endAt);
    }
}
