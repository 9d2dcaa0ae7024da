package dev.keel.node;

import java.net.URI;
import java.util.List;

/**
 * One Keel member in the calling JVM on free loopback ports with a temporary data directory, for tests:
 * {@code try (KeelServer keel = KeelServer.start()) { ... keel.endpoint() ... }}. Closing it stops the member and
 * deletes the directory. For several members, or to configure them, use {@link KeelCluster}.
 */
public final class KeelServer implements AutoCloseable {
    private final KeelCluster cluster;

    private KeelServer(KeelCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts a single-member cluster with etcd's defaults. */
    public static KeelServer start() {
        return new KeelServer(KeelCluster.builder().members(1).start());
    }

    /** @return the client endpoint, {@code host:port} */
    public String endpoint() {
        return cluster.endpoints();
    }

    /** @return the client endpoint as a URI, for jetcd's {@code Client.builder().endpoints(...)} */
    public List<URI> endpointUris() {
        return cluster.endpointUris();
    }

    /** @return the running member */
    public KeelNode node() {
        return cluster.member(0);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
