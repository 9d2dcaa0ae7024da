package dev.keel.harness.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client threads of one workload: daemon threads named {@code <workload>-<role>-<i>} (role {@code client}
 * unless a workload runs several kinds), each running one {@link ClientSession} loop with its own PRNG split
 * from the pool's, and a stop that returns within the call deadline plus a second. Threads are told to stop
 * through a latch their think time waits on, so a stop never interrupts a call in flight (its deadline ends it,
 * and its outcome is still recorded); only a thread still running once that time is up is interrupted.
 */
public final class ClientPool {
    /** Slack beyond the call deadline for a thread to record its last operation and return. */
    public static final long STOP_SLACK_MILLIS = 1_000;

    private final String workload;
    private final WorkloadContext context;
    private final SplittableRandom random;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    /**
     * A pool whose PRNG is seeded with the run's seed.
     *
     * @param workload the workload's name, for thread names
     * @param context  the runner's context: client count, seed, endpoints, deadlines
     */
    public ClientPool(String workload, WorkloadContext context) {
        this(workload, context, new SplittableRandom(context.seed()));
    }

    /**
     * A pool that splits its threads' PRNGs from {@code random} (a workload that draws from one PRNG for its own
     * calls and its several pools), in the order the threads are started.
     */
    public ClientPool(String workload, WorkloadContext context, SplittableRandom random) {
        this.workload = workload;
        this.context = context;
        this.random = random;
    }

    /**
     * @return the PRNG the threads' PRNGs are split from, for the workload's own calls outside the threads (only from
     *     the thread that starts and stops the workload)
     */
    public SplittableRandom random() {
        return random;
    }

    /** Starts {@code context.clients()} threads of role {@code client}; see {@link #start(String, int, Consumer)}. */
    public void start(Consumer<ClientSession> body) {
        start("client", context.clients(), body);
    }

    /**
     * Starts {@code count} threads named {@code <workload>-<role>-<i>}, each running {@code body} with its own
     * session (number i, its own PRNG split from the pool's). A body that throws ends its thread and the exception
     * goes to the run's log.
     */
    public synchronized void start(String role, int count, Consumer<ClientSession> body) {
        if (stopped()) {
            throw new IllegalStateException(workload + " clients were stopped already");
        }
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ClientSession session = new ClientSession(i, random.split(), context, stopSignal);
            Thread thread = new Thread(() -> runGuarded(body, session), workload + "-" + role + "-" + i);
            thread.setDaemon(true);
            started.add(thread);
        }
        threads.addAll(started);
        started.forEach(Thread::start);
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
        boolean allEnded = join(context.opTimeoutMillis() + STOP_SLACK_MILLIS);
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                context.log().accept(thread.getName() + " did not stop in time; interrupting it");
                thread.interrupt();
            }
        }
        return allEnded;
    }

    /**
     * Waits for the threads to end by themselves (bodies with their own end condition), without telling them to
     * stop or interrupting them.
     *
     * @return whether every thread ended within {@code joinMillis}
     */
    public synchronized boolean await(long joinMillis) {
        return join(joinMillis);
    }

    private boolean join(long joinMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(joinMillis);
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /** @return whether stop was called */
    public boolean stopped() {
        return stopSignal.getCount() == 0;
    }
}
