package dev.keel.kernel.mvcc.store;

import java.util.Arrays;

/**
 * A growable array of ints in fixed chunks of {@link #CHUNK} entries: growing adds one chunk and never copies the
 * entries, so its capacity exceeds what it holds by less than one chunk (64 KiB), where a doubled array
 * would keep up to the whole size again in slack and briefly three times the data while copying.
 */
final class IntColumn {
    static final int CHUNK_SHIFT = 14;
    /** Entries per chunk. */
    static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int MASK = CHUNK - 1;

    private int[][] chunks = new int[4][];
    private int chunkCount;

    /** @return the entry at {@code index}, which is below {@link #capacity} */
    int get(int index) {
        return chunks[index >>> CHUNK_SHIFT][index & MASK];
    }

    void set(int index, int value) {
        chunks[index >>> CHUNK_SHIFT][index & MASK] = value;
    }

    /** @return how many entries the chunks hold */
    int capacity() {
        return chunkCount << CHUNK_SHIFT;
    }

    /** Makes {@code index} addressable, adding chunks as needed. */
    void ensure(int index) {
        while (index >= capacity()) {
            if (chunkCount == chunks.length) {
                chunks = Arrays.copyOf(chunks, chunkCount * 2); // the chunk table only: a pointer per chunk
            }
            chunks[chunkCount++] = new int[CHUNK];
        }
    }
}
