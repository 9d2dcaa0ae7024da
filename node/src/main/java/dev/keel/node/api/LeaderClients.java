package dev.keel.node.api;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientFactoryBuilder;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.keel.node.tls.ReloadingTls;

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
    private final ClientFactory factory;
    /** The scheme of the URLs this member can dial: its own client port's (members of a cluster share it). */
    private final String scheme;
    private final Map<String, Object> stubs = new ConcurrentHashMap<>();

    /** Clients over plain http. */
    public LeaderClients() {
        this(Optional.empty());
    }

    /**
     * @param tls the member's client-port material: with it, https URLs are dialled trusting its CA file (any
     *            chain for an {@code --auto-tls} certificate, as etcd) and
     *            presenting its certificate (for members that require client certificates, as etcd's own
     *            gateway presents the member's); without it, only http URLs
     */
    public LeaderClients(Optional<ReloadingTls> tls) {
        ClientFactoryBuilder builder = ClientFactory.builder();
        tls.ifPresent(material -> builder.tlsCustomizer(ssl -> ssl.keyManager(material.keyManager())
                .trustManager(material.dialTrustManager())));
        this.factory = builder.build();
        this.scheme = tls.isPresent() ? "https://" : "http://";
    }

    /**
     * @param clientUrls the leader's advertised client URLs (the first one of this member's scheme is used)
     * @param stubType   a generated stub class, e.g. {@code LeaseGrpc.LeaseStub.class}
     * @return a stub for the leader, or empty when no usable URL is known
     */
    public <T> Optional<T> stub(List<String> clientUrls, Class<T> stubType) {
        for (String url : clientUrls) {
            if (url.startsWith(scheme)) {
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

    /** @return the first of {@code clientUrls} this member can dial (its own scheme), or empty */
    public Optional<String> dialable(List<String> clientUrls) {
        return clientUrls.stream().filter(u -> u.startsWith(scheme)).findFirst();
    }

    @Override
    public void close() {
        factory.closeAsync();
    }
}
