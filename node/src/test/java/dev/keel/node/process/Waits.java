package dev.keel.node.process;

import java.util.function.BooleanSupplier;

/** Waiting for a state in process tests: poll a condition until a deadline, never a fixed sleep. */
public final class Waits {
    private static final long POLL_MILLIS = 20;

    private Waits() {
    }

    /**
     * Polls {@code condition} until it holds.
     *
     * @return the milliseconds it took
     * @throws AssertionError naming {@code what} after {@code millis}
     */
    public static long until(String what, long millis, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + millis + " ms waiting until " + what);
            }
            pause();
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** One polling interval. */
    static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while polling", e);
        }
    }
}
