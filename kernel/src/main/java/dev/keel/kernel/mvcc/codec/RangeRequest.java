package dev.keel.kernel.mvcc.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an encoded Range: {@code header | sortOrder:u8 | sortTarget:u8 | pad:u16 | limit:i64 |
 * revision:i64 | minMod:i64 | maxMod:i64 | minCreate:i64 | maxCreate:i64 | key | rangeEnd}.
 */
public final class RangeRequest extends KeyRangeView {
    public static final int KEYS_ONLY = 1;
    public static final int COUNT_ONLY = 2;
    public static final int SERIALIZABLE = 4;

    /** Sort orders, numbered as etcd's {@code RangeRequest.SortOrder}. */
    public static final int SORT_NONE = 0;
    public static final int SORT_ASCEND = 1;
    public static final int SORT_DESCEND = 2;
    /** Sort targets, numbered as etcd's {@code RangeRequest.SortTarget}. */
    public static final int TARGET_KEY = 0;
    public static final int TARGET_VERSION = 1;
    public static final int TARGET_CREATE = 2;
    public static final int TARGET_MOD = 3;
    public static final int TARGET_VALUE = 4;

    private static final int FIXED = 8 + 6 * Long.BYTES;

    @Override
    protected int type() {
        return RequestType.RANGE;
    }

    @Override
    protected boolean parseBody(int at) {
        if (!fits(at, FIXED)) {
            return false;
        }
        return parseKeyRange(at + FIXED);
    }

    private long longAt(int index) {
        return buffer.getLong(offset + RequestType.HEADER_LENGTH + 8 + index * Long.BYTES);
    }

    /** @return sort order ({@link #SORT_NONE}, {@link #SORT_ASCEND}, {@link #SORT_DESCEND}) */
    public int sortOrder() {
        return buffer.getByte(offset + RequestType.HEADER_LENGTH);
    }

    /** @return sort target ({@link #TARGET_KEY} ... {@link #TARGET_VALUE}) */
    public int sortTarget() {
        return buffer.getByte(offset + RequestType.HEADER_LENGTH + 1);
    }

    /** @return etcd's limit, 0 for none */
    public long limitCount() {
        return longAt(0);
    }

    /** @return the revision */
    public long revision() {
        return longAt(1);
    }

    /** @return lower bound on mod revision, 0 for none */
    public long minModRevision() {
        return longAt(2);
    }

    /** @return upper bound on mod revision, 0 for none */
    public long maxModRevision() {
        return longAt(3);
    }

    /** @return lower bound on create revision, 0 for none */
    public long minCreateRevision() {
        return longAt(4);
    }

    /** @return upper bound on create revision, 0 for none */
    public long maxCreateRevision() {
        return longAt(5);
    }

    /** @return etcd's keys_only */
    public boolean keysOnly() {
        return hasFlag(KEYS_ONLY);
    }

    /** @return etcd's count_only */
    public boolean countOnly() {
        return hasFlag(COUNT_ONLY);
    }

    /** @return etcd's serializable (the host decides how to read; the store ignores it) */
    public boolean serializable() {
        return hasFlag(SERIALIZABLE);
    }

    /** The numeric options of a Range, grouped so {@link #encode} stays readable. */
    public static final class Options {
        public long limit;
        public long revision;
        public int sortOrder;
        public int sortTarget;
        public long minModRevision;
        public long maxModRevision;
        public long minCreateRevision;
        public long maxCreateRevision;
        /** Combination of {@link #KEYS_ONLY}, {@link #COUNT_ONLY}, {@link #SERIALIZABLE}. */
        public int flags;

        /** Resets every option to etcd's default; returns this. */
        public Options reset() {
            limit = 0;
            revision = 0;
            sortOrder = SORT_NONE;
            sortTarget = TARGET_KEY;
            minModRevision = 0;
            maxModRevision = 0;
            minCreateRevision = 0;
            maxCreateRevision = 0;
            flags = 0;
            return this;
        }
    }

    /** Encodes a Range at {@code at}; a zero-length {@code rangeEnd} means the single key. Returns its length. */
    public static int encode(MutableDirectBuffer out, int at, DirectBuffer key, int keyOffset, int keyLength,
                             DirectBuffer rangeEnd, int endOffset, int endLength, Options o) {
        int p = RequestType.writeHeader(out, at, RequestType.RANGE, o.flags);
        out.putByte(p, (byte) o.sortOrder);
        out.putByte(p + 1, (byte) o.sortTarget);
        out.putShort(p + 2, (short) 0);
        out.putInt(p + 4, 0);
        p += 8;
        out.putLong(p, o.limit);
        out.putLong(p + 8, o.revision);
        out.putLong(p + 16, o.minModRevision);
        out.putLong(p + 24, o.maxModRevision);
        out.putLong(p + 32, o.minCreateRevision);
        out.putLong(p + 40, o.maxCreateRevision);
        p = ByteField.write(out, p + 48, key, keyOffset, keyLength);
        p = ByteField.write(out, p, rangeEnd, endOffset, endLength);
        return p - at;
    }
}
