package dev.keel.kernel.mvcc;

/**
 * How much stored history a member's heap can hold, so that a member whose {@code -Xmx} cannot hold its quota is
 * told so when it starts, before it could die of its own data below the quota. The store lives on the heap (values and keys in 1 MiB
 * pages, revision columns), the Raft log holds the entries since the last snapshot, and taking a snapshot briefly
 * holds two more copies of the store (the kernel's and the file's), so every quota byte needs
 * {@link #HEAP_PER_QUOTA_BYTE} heap bytes on top of a fixed
 * {@link #RESERVE_BYTES} for the young generation, the network and the log.
 *
 * <p>Only a warning, never a clamp of the quota: the quota decides at apply time which write fails with NOSPACE,
 * so it must come from configuration every member shares, not from each process's own heap (members with
 * different heaps would then diverge).
 */
public final class HeapBudget {
    /**
     * Heap needed per byte the quota counts: the store itself (values in power-of-two slots, revision columns),
     * the Raft log's entries not yet compacted (as much again while a store is first loaded) and two snapshot
     * copies while one is taken.
     */
    public static final int HEAP_PER_QUOTA_BYTE = 4;
    /** Heap kept aside for everything but the store (young generation, gRPC, WAL and Raft log buffers). */
    public static final long RESERVE_BYTES = 256L << 20;
    /** The quota never drops below this, however small the heap (such a heap cannot serve anyway). */
    public static final long MIN_QUOTA_BYTES = 1L << 20;

    private HeapBudget() {
    }

    /** @return the largest quota a heap of {@code maxHeapBytes} holds */
    public static long heapQuota(long maxHeapBytes) {
        if (maxHeapBytes == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(MIN_QUOTA_BYTES, (maxHeapBytes - RESERVE_BYTES) / HEAP_PER_QUOTA_BYTE);
    }

    /** @return the smallest maximum heap that holds a quota of {@code quotaBytes} */
    public static long heapFor(long quotaBytes) {
        return quotaBytes * HEAP_PER_QUOTA_BYTE + RESERVE_BYTES;
    }

    /**
     * @param configuredBytes the configured quota ({@code --quota-backend-bytes})
     * @param maxHeapBytes    the member's maximum heap ({@code Runtime.maxMemory()})
     * @return null if the heap holds the configured quota, else the one-line warning an operator reads: what the
     *         heap holds and the options to change
     */
    public static String heapWarning(long configuredBytes, long maxHeapBytes) {
        long holds = heapQuota(maxHeapBytes);
        if (holds >= configuredBytes) {
            return null;
        }
        return "quota " + mib(configuredBytes) + " MiB (--quota-backend-bytes) needs a heap of about "
                + gib(heapFor(configuredBytes)) + " GiB, but this member's maximum heap is " + mib(maxHeapBytes)
                + " MiB (-Xmx): it may run out of memory before the NOSPACE alarm. Give every member -Xmx"
                + gib(heapFor(configuredBytes)) + "g (KEEL_JAVA_OPTS), or set --quota-backend-bytes to at most "
                + holds + " (~" + mib(holds) + " MiB) on every member";
    }

    private static long gib(long bytes) {
        return (bytes + (1L << 30) - 1) / (1L << 30);
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }
}
