package dev.keel.harness.cluster;

/** One member of a {@link ClusterControl}'s cluster as the harness sees it from outside. */
public interface Member {
    /** @return its {@code --name}, e.g. {@code n1}; names are never reused within a run */
    String name();

    /** @return its client endpoint, {@code 127.0.0.1:port} */
    String clientEndpoint();

    /** @return whether its process runs (paused counts as running) */
    boolean alive();

    /** @return whether it is stopped with SIGSTOP */
    boolean paused();
}
