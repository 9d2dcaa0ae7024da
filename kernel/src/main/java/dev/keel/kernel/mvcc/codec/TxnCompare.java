package dev.keel.kernel.mvcc.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One compare of a Txn: {@code result:u8 | target:u8 | pad:u16 | operand:i64 | key | rangeEnd | value}.
 * The operand is the version, create/mod revision or lease for those targets; {@code value} is used for the
 * VALUE target. Constants are numbered as etcd's {@code Compare.CompareResult} and {@code CompareTarget}.
 */
public final class TxnCompare {
    public static final int EQUAL = 0;
    public static final int GREATER = 1;
    public static final int LESS = 2;
    public static final int NOT_EQUAL = 3;

    public static final int VERSION = 0;
    public static final int CREATE = 1;
    public static final int MOD = 2;
    public static final int VALUE = 3;
    public static final int LEASE = 4;

    private static final int FIXED = 4 + Long.BYTES;

    private DirectBuffer buffer;
    private int at;
    private int endAt;
    private int valueAt;

    /** @return the offset after the compare at {@code at}, or -1 when it does not fit before {@code limit} */
    public static int end(DirectBuffer buffer, int at, int limit) {
        if (at < 0 || at + FIXED > limit) {
            return -1;
        }
        int p = ByteField.end(buffer, at + FIXED, limit);
        p = ByteField.end(buffer, p, limit);
        return ByteField.end(buffer, p, limit);
    }

    /** Wraps a compare already framed by {@link TxnRequest}; returns the offset after it. */
    public int wrap(DirectBuffer buffer, int at) {
        this.buffer = buffer;
        this.at = at;
        int keyAt = at + FIXED;
        this.endAt = keyAt + ByteField.PREFIX + buffer.getInt(keyAt);
        this.valueAt = endAt + ByteField.PREFIX + buffer.getInt(endAt);
        return valueAt + ByteField.PREFIX + buffer.getInt(valueAt);
    }

    /** @return compare result ({@link #EQUAL}, {@link #GREATER}, {@link #LESS}, {@link #NOT_EQUAL}) */
    public int result() {
        return buffer.getByte(at);
    }

    /** @return compare target ({@link #VERSION}, {@link #CREATE}, {@link #MOD}, {@link #VALUE}, {@link #LEASE}) */
    public int target() {
        return buffer.getByte(at + 1);
    }

    /** @return the version, revision or lease compared against */
    public long operand() {
        return buffer.getLong(at + 4);
    }

    /** @return offset of the key's bytes */
    public int keyOffset() {
        return at + FIXED + ByteField.PREFIX;
    }

    /** @return length of the key */
    public int keyLength() {
        return buffer.getInt(at + FIXED);
    }

    /** @return offset of the range end's bytes */
    public int rangeEndOffset() {
        return endAt + ByteField.PREFIX;
    }

    /** @return length of the range end (0: single key) */
    public int rangeEndLength() {
        return buffer.getInt(endAt);
    }

    /** @return offset of the value's bytes */
    public int valueOffset() {
        return valueAt + ByteField.PREFIX;
    }

    /** @return length of the value */
    public int valueLength() {
        return buffer.getInt(valueAt);
    }

    /** Encodes a compare at {@code at}; returns the offset after it. */
    public static int encode(MutableDirectBuffer out, int at, int result, int target, long operand,
                             DirectBuffer key, int keyOffset, int keyLength,
                             DirectBuffer rangeEnd, int endOffset, int endLength,
                             DirectBuffer value, int valueOffset, int valueLength) {
        out.putByte(at, (byte) result);
        out.putByte(at + 1, (byte) target);
        out.putShort(at + 2, (short) 0);
        out.putLong(at + 4, operand);
        int p = ByteField.write(out, at + FIXED, key, keyOffset, keyLength);
        p = ByteField.write(out, p, rangeEnd, endOffset, endLength);
        return ByteField.write(out, p, value, valueOffset, valueLength);
    }
}
