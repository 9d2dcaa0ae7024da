package dev.keel.harness.cluster;

/** Placeholder: the cluster-control work replaces this class with the real one. */
public final class TortureCluster {
    private TortureCluster() {
    }

    /**
     * Starts {@code options.members()} members behind proxies and waits until they agree on a leader.
     *
     * @throws IllegalStateException naming the log tails when they do not within 30 s
     */
    public static ClusterControl start(ClusterOptions options) {
        throw new UnsupportedOperationException("not built yet");
    }
}
