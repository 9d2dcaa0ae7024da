package dev.keel.harness.workload;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One client thread's view of the run: its number, its PRNG, the member it talks to (kept until a call fails,
 * then picked again at random among the current endpoints) and its think time, which ends early on stop.
 * Only its own thread uses it.
 */
public final class ClientSession {
    /** How often to look again for endpoints while the cluster lists none. */
    private static final long NO_ENDPOINT_POLL_MILLIS = 50;

    private final int thread;
    private final SplittableRandom random;
    private final WorkloadContext context;
    private final CountDownLatch stopSignal;
    private String endpoint;

    ClientSession(int thread, SplittableRandom random, WorkloadContext context, CountDownLatch stopSignal) {
        this.thread = thread;
        this.random = random;
        this.context = context;
        this.stopSignal = stopSignal;
    }

    /** @return this client's number, 0-based */
    public int thread() {
        return thread;
    }

    /** @return this client's PRNG (split from the workload's seed) */
    public SplittableRandom random() {
        return random;
    }

    /** @return whether the workload was told to stop */
    public boolean stopping() {
        return stopSignal.getCount() == 0;
    }

    /**
     * Waits a random time in {@code [minMillis, maxMillis]} between operations.
     *
     * @return false if the workload was told to stop (at once, or while waiting)
     */
    public boolean think(int minMillis, int maxMillis) {
        return pause(random.nextInt(minMillis, maxMillis + 1));
    }

    /**
     * Waits {@code millis} (a fixed pause: between retries, or a client that sleeps on purpose).
     *
     * @return false if the workload was told to stop (at once, or while waiting)
     */
    public boolean pause(long millis) {
        try {
            return !stopSignal.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @return the member to call, {@code host:port}; waits while no endpoint is listed, returning {@code null}
     *     if the workload is told to stop meanwhile
     */
    public String endpoint() {
        while (endpoint == null) {
            List<String> current = context.endpoints().get();
            if (!current.isEmpty()) {
                endpoint = current.get(random.nextInt(current.size()));
            } else if (!pause(NO_ENDPOINT_POLL_MILLIS)) {
                return null;
            }
        }
        return endpoint;
    }

    /** @return a member picked afresh (as {@link #endpoint()}), for a client that changes member every round */
    public String newEndpoint() {
        dropEndpoint();
        return endpoint();
    }

    /** Forgets the current member after a failed call, so the next call picks one again. */
    public void dropEndpoint() {
        endpoint = null;
    }
}
