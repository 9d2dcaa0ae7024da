package dev.keel.node.api;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * gRPC stubs for the leader's client URL, for the requests only a leader serves (lease keepalive and
 * time-to-live, membership changes): a follower that receives one forwards it, as etcd's members forward
 * them to their leader (the lock and election services also reach the member's own port through one). One client
 * per (URL, stub type), kept for the member's life.
 */
public final class LeaderClients implements AutoCloseable {
    private final ClientFactory factory = ClientFactory.builder().build();
    private final Map<String, Object> stubs = new ConcurrentHashMap<>();

    /**
     * @param clientUrls the leader's advertised client URLs (the first {@code http://} one is used)
     * @param stubType   a generated stub class, e.g. {@code LeaseGrpc.LeaseStub.class}
     * @return a stub for the leader, or empty when no usable URL is known
     */
    public <T> Optional<T> stub(List<String> clientUrls, Class<T> stubType) {
        for (String url : clientUrls) {
            if (url.startsWith("http://")) {
                Object stub = stubs.computeIfAbsent(url + "|" + stubType.getName(), k -> GrpcClients.builder(url)
                        .factory(factory)
                        .maxResponseLength(0)
                        .responseTimeoutMillis(0)
                        .build(stubType));
                return Optional.of(stubType.cast(stub));
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        factory.closeAsync();
    }
}
