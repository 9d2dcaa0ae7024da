package dev.keel.node;

/**
 * Work an API thread asks the kernel thread to do: anything that reads or drives the {@link
 * dev.keel.replica.Replica} beyond the hot KV path (watches, leases, membership, maintenance). It runs on the
 * kernel thread, in arrival order with the other tasks, and must not block: it starts replica requests (answered
 * later through {@link KernelContext#register}'s token) or copies what it needs and hands it back to its own
 * thread.
 */
@FunctionalInterface
public interface KernelTask {
    /** Runs on the kernel thread. */
    void run(KernelContext kernel);
}
