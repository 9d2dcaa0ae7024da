package dev.keel.kernel.mvcc.store;

import org.agrona.DirectBuffer;

/**
 * Walks the key slots of etcd's range forms: a single key (empty range end), {@code [key, rangeEnd)}, or
 * every key from {@code key} on (range end {@code "\0"}). Key and range end live in the same buffer, as they
 * do in every encoded request. Each user owns its scan; the index must not change during a walk.
 */
public final class RangeScan {
    private final KeyIndex keys;
    private final KeyCursor cursor = new KeyCursor();
    private DirectBuffer buffer;
    private int endOffset;
    private int endLength;
    private boolean single;

    public RangeScan(KeyIndex keys) {
        this.keys = keys;
    }

    /** @return whether the range end means "no upper bound" */
    public static boolean unbounded(DirectBuffer buffer, int endOffset, int endLength) {
        return endLength == 1 && buffer.getByte(endOffset) == 0;
    }

    /** @return the first slot in the range, or {@link KeyIndex#NIL} */
    public int first(DirectBuffer buffer, int keyOffset, int keyLength, int endOffset, int endLength) {
        this.buffer = buffer;
        this.single = endLength == 0;
        if (single) {
            return keys.find(buffer, keyOffset, keyLength);
        }
        this.endOffset = endOffset;
        this.endLength = unbounded(buffer, endOffset, endLength) ? -1 : endLength;
        return bounded(keys.seek(buffer, keyOffset, keyLength, cursor));
    }

    /** @return the next slot in the range, or {@link KeyIndex#NIL} */
    public int next() {
        return single ? KeyIndex.NIL : bounded(keys.next(cursor));
    }

    private int bounded(int slot) {
        if (slot == KeyIndex.NIL || endLength < 0) {
            return slot;
        }
        return keys.compareTo(buffer, endOffset, endLength, slot) > 0 ? slot : KeyIndex.NIL;
    }
}
