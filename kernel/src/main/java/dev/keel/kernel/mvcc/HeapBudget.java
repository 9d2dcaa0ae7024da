package dev.keel.kernel.mvcc;

/**
 * How much stored history a member's heap can hold, so that the NOSPACE alarm fires before the heap runs out:
 * a store must never die of its own data below its quota. The store lives on the heap (values and keys in 1 MiB
 * pages, revision columns), the Raft log holds the entries since the last snapshot, and taking a snapshot briefly
 * holds two more copies of the store (the kernel's and the file's), so every quota byte needs
 * {@link #HEAP_PER_QUOTA_BYTE} heap bytes on top of a fixed
 * {@link #RESERVE_BYTES} for the young generation, the network and the log.
 *
 * <p>The result is replicated behaviour (it decides which write fails with NOSPACE): members of one cluster
 * must run with the same maximum heap, as they must with the same {@code --quota-backend-bytes}.
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

    /**
     * @param configuredBytes the configured quota ({@code --quota-backend-bytes})
     * @param maxHeapBytes    the member's maximum heap ({@code Runtime.maxMemory()}), {@code Long.MAX_VALUE} if
     *                        unbounded
     * @return the quota the store enforces: the configured one, or less if the heap cannot hold it
     */
    public static long effectiveQuota(long configuredBytes, long maxHeapBytes) {
        return Math.min(configuredBytes, heapQuota(maxHeapBytes));
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
     * @return null if the heap holds the configured quota, else the one-line warning an operator reads: the
     *         clamped figure and the option to raise
     */
    public static String clampWarning(long configuredBytes, long maxHeapBytes) {
        long effective = effectiveQuota(configuredBytes, maxHeapBytes);
        if (effective >= configuredBytes) {
            return null;
        }
        return "quota " + mib(configuredBytes) + " MiB (--quota-backend-bytes) exceeds what a heap of "
                + mib(maxHeapBytes) + " MiB (-Xmx) can hold; raising NOSPACE at ~" + mib(effective)
                + " MiB of stored data instead. To keep the configured quota, give the member -Xmx"
                + (heapFor(configuredBytes) + (1L << 30) - 1) / (1L << 30) + "g (KEEL_JAVA_OPTS) or lower "
                + "--quota-backend-bytes";
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }
}
