package dev.keel.harness.workload.support;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A workload's client threads: daemon threads named {@code <workload>-<role>-<i>} that run a body until
 * {@link #stopping()} turns true. {@link #stop(long)} asks them to end, interrupts them (so a think-time sleep
 * ends at once) and waits for them with a deadline, so a workload's {@code stop()} returns in bounded time.
 */
public final class ClientThreads {
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * Starts {@code count} threads, each running {@code body} with its index.
     *
     * @param name the thread names' stem, e.g. {@code watch-client}
     */
    public synchronized void start(String name, int count, IntConsumer body) {
        for (int i = 0; i < count; i++) {
            int index = i;
            Thread t = new Thread(() -> body.accept(index), name + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** @return whether the threads were asked to end */
    public boolean stopping() {
        return stopping;
    }

    /**
     * Asks every thread to end and waits for them.
     *
     * @param joinMillis how long to wait in all (an in-flight call ends at its deadline)
     * @return whether every thread ended in time
     */
    public synchronized boolean stop(long joinMillis) {
        stopping = true;
        threads.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + joinMillis * 1_000_000;
        for (Thread t : threads) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            try {
                t.join(Math.max(1, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        boolean ended = threads.stream().noneMatch(Thread::isAlive);
        threads.clear();
        return ended;
    }

    /**
     * Waits for the threads to end by themselves (they were started with their own end condition), without
     * asking them to stop or interrupting them.
     *
     * @return whether every thread ended within {@code joinMillis}
     */
    public synchronized boolean await(long joinMillis) {
        long deadline = System.nanoTime() + joinMillis * 1_000_000;
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /**
     * Sleeps a think time unless asked to stop.
     *
     * @return false if the thread should end (stopping or interrupted)
     */
    public boolean pause(long millis) {
        if (stopping) {
            return false;
        }
        try {
            Thread.sleep(millis);
            return !stopping;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
