package dev.keel.kernel.mvcc.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes a Txn in order: {@link #begin}, compares, {@link #success()}, ops, {@link #failure()}, ops,
 * {@link #end()}. An op is written by any request encoder at {@link #opStart()} and closed with
 * {@link #opEnd(int)}; a nested Txn uses a second encoder at {@link #opStart()}.
 */
public final class TxnEncoder {
    private static final int STAGE_COMPARES = 0;
    private static final int STAGE_SUCCESS = 1;
    private static final int STAGE_FAILURE = 2;

    private MutableDirectBuffer out;
    private int start;
    private int position;
    private int stage;
    private final int[] counts = new int[3];

    /** Starts a Txn at {@code at}; returns this. */
    public TxnEncoder begin(MutableDirectBuffer out, int at) {
        this.out = out;
        this.start = at;
        this.position = RequestType.writeHeader(out, at, RequestType.TXN, 0) + 3 * Integer.BYTES;
        this.stage = STAGE_COMPARES;
        counts[0] = 0;
        counts[1] = 0;
        counts[2] = 0;
        return this;
    }

    /** Adds a compare; see {@link TxnCompare} for the constants. */
    public TxnEncoder compare(int result, int target, long operand, DirectBuffer key, int keyOffset, int keyLength,
                              DirectBuffer rangeEnd, int endOffset, int endLength,
                              DirectBuffer value, int valueOffset, int valueLength) {
        if (stage != STAGE_COMPARES) {
            throw new IllegalStateException("compares come before the ops");
        }
        position = TxnCompare.encode(out, position, result, target, operand, key, keyOffset, keyLength,
                rangeEnd, endOffset, endLength, value, valueOffset, valueLength);
        counts[STAGE_COMPARES]++;
        return this;
    }

    /** Ops written from now on form the success branch. */
    public TxnEncoder success() {
        stage = STAGE_SUCCESS;
        return this;
    }

    /** Ops written from now on form the failure branch. */
    public TxnEncoder failure() {
        stage = STAGE_FAILURE;
        return this;
    }

    /** @return where the next op's request must be encoded */
    public int opStart() {
        if (stage == STAGE_COMPARES) {
            throw new IllegalStateException("choose success() or failure() before adding ops");
        }
        return position + Integer.BYTES;
    }

    /** Closes the op just encoded at {@link #opStart()} with {@code length} bytes. */
    public TxnEncoder opEnd(int length) {
        out.putInt(position, length);
        position += Integer.BYTES + length;
        counts[stage]++;
        return this;
    }

    /** Finishes the Txn; returns its length. */
    public int end() {
        int countsAt = start + RequestType.HEADER_LENGTH;
        out.putInt(countsAt, counts[STAGE_COMPARES]);
        out.putInt(countsAt + 4, counts[STAGE_SUCCESS]);
        out.putInt(countsAt + 8, counts[STAGE_FAILURE]);
        return position - start;
    }
}
