package dev.keel.simulator;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Says on stderr that a long seed is still working: every {@code intervalNanos} of wall time, the virtual time
 * it reached and the events it ran. Called from the seed's own thread every few thousand events, so it costs a
 * clock read, not a thread.
 */
final class SeedProgress implements Simulation.ProgressListener {
    private final long seed;
    private final long intervalNanos;
    private final PrintStream to;
    private final LongSupplier wallNanos;
    private final long started;
    private long lastPrinted;

    SeedProgress(long seed, long intervalNanos, PrintStream to, LongSupplier wallNanos) {
        this.seed = seed;
        this.intervalNanos = intervalNanos;
        this.to = to;
        this.wallNanos = wallNanos;
        this.started = wallNanos.getAsLong();
        this.lastPrinted = started;
    }

    @Override
    public void reached(long virtualMicros, long events) {
        long now = wallNanos.getAsLong();
        if (now - lastPrinted < intervalNanos) {
            return;
        }
        lastPrinted = now;
        to.println(String.format(Locale.ROOT, "seed 0x%s still running after %.0f wall s: virtual %.1f s, %d events",
                Long.toHexString(seed), (now - started) / 1e9, virtualMicros / 1e6, events));
    }
}
