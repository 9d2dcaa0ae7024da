package dev.keel.harness.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client threads of one workload: {@code context.clients()} daemon threads named
 * {@code <workload>-client-<i>}, each running one {@link ClientSession} loop, and a stop that returns within the
 * call deadline plus a second. Threads are told to stop through a latch their think time waits on, so a stop
 * never interrupts a call in flight (its deadline ends it, and its outcome is still recorded).
 */
public final class ClientPool {
    /** Slack beyond the call deadline for a thread to record its last operation and return. */
    static final long STOP_SLACK_MILLIS = 1_000;

    private final String workload;
    private final WorkloadContext context;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param workload the workload's name, for thread names
     * @param context  the runner's context: client count, seed, endpoints, deadlines
     */
    public ClientPool(String workload, WorkloadContext context) {
        this.workload = workload;
        this.context = context;
    }

    /**
     * Starts one thread per client, each running {@code body} with its own session (its own PRNG split from
     * the workload's seed). A body that throws ends its thread and the exception goes to the run's log.
     */
    public synchronized void start(Consumer<ClientSession> body) {
        if (!threads.isEmpty()) {
            throw new IllegalStateException(workload + " clients already started");
        }
        SplittableRandom root = new SplittableRandom(context.seed());
        for (int i = 0; i < context.clients(); i++) {
            ClientSession session = new ClientSession(i, root.split(), context, stopSignal);
            Thread thread = new Thread(() -> runGuarded(body, session), workload + "-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    private void runGuarded(Consumer<ClientSession> body, ClientSession session) {
        try {
            body.accept(session);
        } catch (RuntimeException | Error e) {
            context.log().accept(Thread.currentThread().getName() + " ended by " + e);
        }
    }

    /**
     * Tells every thread to stop and waits until they ended: at most the call deadline plus a second, after
     * which a thread still inside a call is interrupted and left behind (it is a daemon).
     *
     * @return whether every thread ended in time
     */
    public synchronized boolean stop() {
        stopSignal.countDown();
        long deadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(context.opTimeoutMillis() + STOP_SLACK_MILLIS);
        boolean allEnded = true;
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                allEnded = false;
                context.log().accept(thread.getName() + " did not stop in time; interrupting it");
                thread.interrupt();
            }
        }
        return allEnded;
    }

    /** @return whether stop was called */
    public boolean stopped() {
        return stopSignal.getCount() == 0;
    }
}
