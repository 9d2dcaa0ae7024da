package dev.keel.node;

import java.util.function.BooleanSupplier;

/** Waiting for a state in tests: poll a condition until a deadline, never a fixed sleep. */
public final class Awaits {
    private Awaits() {
    }

    /** Polls {@code condition} every 20 ms until it holds; fails naming {@code what} after {@code millis}. */
    public static void until(String what, long millis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + millis + " ms waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }
}
