package dev.keel.replica;

/**
 * Turns a host's monotonic clock into the replica's ticks. The host asks, at every turn of its loop, how many
 * ticks are due at the time it read; it then delivers them one by one, before the inputs that waited (overdue
 * ticks first). A jump in the clock — the process was paused, the machine suspended — is delivered as the ticks
 * it skipped, never as one giant step, so lease clocks and election timers see every tick they missed.
 *
 * <p>Deterministic: the host passes the time; nothing here reads a clock.
 */
public final class TickSchedule {
    private final long tickNanos;
    private long nextTickAt;

    /**
     * @param tickNanos the length of one tick (etcd: the heartbeat interval)
     * @param startNanos the host's clock when the replica started
     */
    public TickSchedule(long tickNanos, long startNanos) {
        if (tickNanos <= 0) {
            throw new IllegalArgumentException("tick length must be positive: " + tickNanos);
        }
        this.tickNanos = tickNanos;
        this.nextTickAt = startNanos + tickNanos;
    }

    /**
     * @return how many ticks are due at {@code nowNanos} and not yet delivered; they are counted as delivered
     *         (a clock that went backwards yields none)
     */
    public long due(long nowNanos) {
        long late = nowNanos - nextTickAt;
        if (late < 0) {
            return 0;
        }
        long count = late / tickNanos + 1;
        nextTickAt += count * tickNanos;
        return count;
    }

    /** @return nanoseconds from {@code nowNanos} until the next tick is due (0 if one is due already) */
    public long nanosUntilNext(long nowNanos) {
        return Math.max(0, nextTickAt - nowNanos);
    }
}
