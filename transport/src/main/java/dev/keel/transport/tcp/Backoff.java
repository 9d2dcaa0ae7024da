package dev.keel.transport.tcp;

/** Delay before the next dial: starts at {@code initial}, doubles after every failure up to {@code max}. */
final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private long nextNanos;

    Backoff(long initialNanos, long maxNanos) {
        if (initialNanos <= 0 || maxNanos < initialNanos) {
            throw new IllegalArgumentException("backoff " + initialNanos + ".." + maxNanos + " ns");
        }
        this.initialNanos = initialNanos;
        this.maxNanos = maxNanos;
        this.nextNanos = initialNanos;
    }

    /** @return the delay to wait now; the one after it is twice as long (capped) */
    long next() {
        long delay = nextNanos;
        nextNanos = Math.min(maxNanos, nextNanos * 2);
        return delay;
    }

    /** After a connection succeeded: the next failure waits the initial delay again. */
    void reset() {
        nextNanos = initialNanos;
    }
}
