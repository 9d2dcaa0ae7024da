package dev.keel.harness.workload;

import dev.keel.harness.client.Recorder;

/**
 * What the workloads share: the run's context, the history ({@link Recorder}) and the client threads
 * ({@link ClientPool}), set up once by {@link #begin}, and the calls that only pass through to them.
 */
abstract class PooledWorkload implements Workload {
    /** The run's context, from {@link #begin}. */
    WorkloadContext context;
    /** The workload's history; read by the progress line from another thread. */
    volatile Recorder recorder;
    /** The client threads. */
    ClientPool pool;

    /**
     * Starts the history with {@code processes} client processes and makes the pool (its PRNG seeded with the
     * run's seed); the first thing a {@link #start} does.
     *
     * @throws IllegalStateException if the workload was started already
     */
    final void begin(WorkloadContext context, int processes) {
        if (pool != null) {
            throw new IllegalStateException("the " + name() + " workload was started already");
        }
        this.context = context;
        this.pool = new ClientPool(name(), context);
        this.recorder = new Recorder(context.clock(), processes);
    }

    /** @throws IllegalStateException if {@link #begin} was not called */
    final void requireStarted() {
        if (pool == null) {
            throw new IllegalStateException("the " + name() + " workload was not started");
        }
    }

    @Override
    public void stop() {
        requireStarted();
        pool.stop();
    }

    @Override
    public String progress() {
        Recorder r = recorder;
        return r == null ? "" : r.progress();
    }
}
