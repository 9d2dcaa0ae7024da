package dev.keel.harness.cluster;

import java.util.Optional;
import java.util.function.Supplier;

/** Polling with a deadline, for conditions the cluster waits for. */
final class Waits {
    private Waits() {
    }

    /** Sleeps a little between two polls; keeps the interrupt. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }

    /** @return the first non-empty answer of {@code poll} within {@code millis}, else empty */
    static <T> Optional<T> poll(long millis, long everyMillis, Supplier<Optional<T>> poll) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            Optional<T> answer = poll.get();
            if (answer.isPresent() || System.nanoTime() > deadline) {
                return answer;
            }
            pause(everyMillis);
        }
    }
}
