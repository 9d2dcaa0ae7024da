package dev.keel.harness.run;

/**
 * The one time base of a run: nanoseconds since it began, from the harness's monotonic clock. Client histories,
 * the fault schedule and the progress line all use it, so a fault and the operations it hit line up.
 */
public final class RunClock {
    private final long origin = System.nanoTime();

    /** @return nanoseconds since the run began */
    public long nanos() {
        return System.nanoTime() - origin;
    }

    /** @return milliseconds since the run began */
    public long millis() {
        return nanos() / 1_000_000;
    }
}
