package dev.keel.kernel.mvcc.codec;

/**
 * Flyweight over an encoded Txn: {@code header | compares:i32 | success:i32 | failure:i32 | compare* | op*}
 * where each op is {@code length:i32 | request} (Range, Put, DeleteRange or a nested Txn). {@code wrap}
 * checks the framing of every compare and op; the ops' own contents are checked when they are wrapped.
 */
public final class TxnRequest extends RequestView {
    private static final int COUNTS = 3 * Integer.BYTES;

    private int compareCount;
    private int successCount;
    private int failureCount;
    private int comparesAt;
    private int successAt;
    private int failureAt;

    @Override
    protected int type() {
        return RequestType.TXN;
    }

    @Override
    protected boolean parseBody(int at) {
        if (!fits(at, COUNTS)) {
            return false;
        }
        compareCount = buffer.getInt(at);
        successCount = buffer.getInt(at + 4);
        failureCount = buffer.getInt(at + 8);
        if (compareCount < 0 || successCount < 0 || failureCount < 0) {
            return false;
        }
        comparesAt = at + COUNTS;
        int p = comparesAt;
        for (int i = 0; i < compareCount && p >= 0; i++) {
            p = TxnCompare.end(buffer, p, limit);
        }
        successAt = p;
        p = skipOps(p, successCount);
        failureAt = p;
        p = skipOps(p, failureCount);
        return p == limit;
    }

    private int skipOps(int p, int count) {
        for (int i = 0; i < count && p >= 0; i++) {
            p = opEnd(p);
        }
        return p;
    }

    /** @return the offset after the op framed at {@code at}, or -1 when it does not fit */
    public int opEnd(int at) {
        if (at < 0 || !fits(at, Integer.BYTES)) {
            return -1;
        }
        int length = buffer.getInt(at);
        return length < 0 || !fits(at + Integer.BYTES, length) ? -1 : at + Integer.BYTES + length;
    }

    /** @return number of compares */
    public int compareCount() {
        return compareCount;
    }

    /** @return number of ops in the success branch */
    public int successCount() {
        return successCount;
    }

    /** @return number of ops in the failure branch */
    public int failureCount() {
        return failureCount;
    }

    /** @return offset of the first compare; step with {@link TxnCompare#end} */
    public int comparesAt() {
        return comparesAt;
    }

    /** @return offset of the first op of the branch; step with {@link #opEnd} */
    public int opsAt(boolean success) {
        return success ? successAt : failureAt;
    }

    /** @return number of ops in the branch */
    public int opCount(boolean success) {
        return success ? successCount : failureCount;
    }

    /** @return offset of the request inside the op framed at {@code at} */
    public static int opRequestOffset(int at) {
        return at + Integer.BYTES;
    }

    /** @return length of the request inside the op framed at {@code at} */
    public int opRequestLength(int at) {
        return buffer.getInt(at);
    }
}
