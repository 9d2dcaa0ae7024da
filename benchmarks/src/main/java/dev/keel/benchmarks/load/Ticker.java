package dev.keel.benchmarks.load;

import java.util.concurrent.locks.LockSupport;

/** The load generator's clock: read the time and wait for a moment. Tests replace it with a fake clock. */
public interface Ticker {
    /** The system's monotonic clock, {@link System#nanoTime()}. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadlineNanos) throws InterruptedException {
            for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    };

    /** @return monotonic nanoseconds */
    long nanoTime();

    /** Returns once {@link #nanoTime()} has reached {@code deadlineNanos}. */
    void sleepUntil(long deadlineNanos) throws InterruptedException;
}
