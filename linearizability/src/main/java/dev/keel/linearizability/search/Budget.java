package dev.keel.linearizability.search;

import java.time.Duration;

/**
 * How much a check may spend before it answers {@link Verdict#UNKNOWN} instead of hanging or exhausting the
 * heap. Time is wall-clock time for the whole check; memory is an estimate of the search caches' size, summed
 * over all parts of the history. Independently of the memory limit, a search also stops when the heap's old
 * generation is over 90% full after a garbage collection, since the JVM would otherwise soon fail.
 */
public final class Budget {
    private final Duration time;
    private final long memoryBytes;

    private Budget(Duration time, long memoryBytes) {
        this.time = time;
        this.memoryBytes = memoryBytes;
    }

    /** @return no time limit; memory limited to half of the JVM's maximum heap */
    public static Budget unlimitedTime() {
        return new Budget(null, defaultMemory());
    }

    /**
     * @param time how long the whole check may take
     * @return that time limit and the default memory limit (half of the maximum heap)
     * @throws IllegalArgumentException if time is negative
     */
    public static Budget of(Duration time) {
        if (time.isNegative()) {
            throw new IllegalArgumentException("a time budget cannot be negative: " + time);
        }
        return new Budget(time, defaultMemory());
    }

    /**
     * @param bytes the most the search caches may hold, estimated
     * @return this budget with that memory limit
     */
    public Budget withMemory(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a memory budget must be positive: " + bytes);
        }
        return new Budget(time, bytes);
    }

    /** @return the time limit, or {@code null} for none */
    public Duration time() {
        return time;
    }

    /** @return the memory limit in bytes */
    public long memoryBytes() {
        return memoryBytes;
    }

    @Override
    public String toString() {
        return (time == null ? "no time limit" : time.toMillis() + " ms") + ", " + (memoryBytes >> 20) + " MiB";
    }

    private static long defaultMemory() {
        return Runtime.getRuntime().maxMemory() / 2;
    }
}
