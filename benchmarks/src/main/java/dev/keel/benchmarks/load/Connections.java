package dev.keel.benchmarks.load;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.util.EventLoopGroups;
import io.netty.channel.EventLoopGroup;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.etcd.jetcd.api.WatchGrpc;

import java.util.ArrayList;
import java.util.List;

/**
 * The load's HTTP/2 connections: one Armeria client factory with one event loop per connection (so one HTTP/2
 * connection each), spread round robin over the endpoints, with jetcd-grpc's stubs on each. Client {@code i}
 * uses connection {@code i % conns}.
 */
public final class Connections implements AutoCloseable {
    private final List<ClientFactory> factories = new ArrayList<>();
    private final List<EventLoopGroup> loops = new ArrayList<>();
    private final List<KVGrpc.KVStub> kv = new ArrayList<>();
    private final List<WatchGrpc.WatchStub> watch = new ArrayList<>();
    private final List<LeaseGrpc.LeaseStub> lease = new ArrayList<>();
    private final List<LeaseGrpc.LeaseBlockingStub> leaseBlocking = new ArrayList<>();

    /** Opens {@code conns} connections over {@code endpoints}; unary calls get {@code timeoutMillis}. */
    public Connections(List<String> endpoints, int conns, long timeoutMillis) {
        for (int i = 0; i < conns; i++) {
            EventLoopGroup loop = EventLoopGroups.newEventLoopGroup(1);
            loops.add(loop);
            ClientFactory f = ClientFactory.builder().workerGroup(loop, false).build();
            factories.add(f);
            String uri = "http://" + endpoints.get(i % endpoints.size());
            kv.add(GrpcClients.builder(uri).factory(f).responseTimeoutMillis(timeoutMillis).build(KVGrpc.KVStub.class));
            // Streams live as long as the run: no response deadline.
            watch.add(GrpcClients.builder(uri).factory(f).responseTimeoutMillis(0).build(WatchGrpc.WatchStub.class));
            lease.add(GrpcClients.builder(uri).factory(f).responseTimeoutMillis(0).build(LeaseGrpc.LeaseStub.class));
            leaseBlocking.add(GrpcClients.builder(uri).factory(f).responseTimeoutMillis(timeoutMillis)
                    .build(LeaseGrpc.LeaseBlockingStub.class));
            // Connect now, so the first requests of a run do not wait for a TCP and HTTP/2 handshake.
            GrpcClients.builder(uri).factory(f).responseTimeoutMillis(timeoutMillis)
                    .build(MaintenanceGrpc.MaintenanceBlockingStub.class).status(StatusRequest.getDefaultInstance());
        }
    }

    /** @return the KV stub of client {@code i}'s connection */
    public KVGrpc.KVStub kv(int i) {
        return kv.get(i % kv.size());
    }

    /** @return the Watch stub of stream {@code i}'s connection */
    public WatchGrpc.WatchStub watch(int i) {
        return watch.get(i % watch.size());
    }

    /** @return the Lease stub of stream {@code i}'s connection */
    public LeaseGrpc.LeaseStub lease(int i) {
        return lease.get(i % lease.size());
    }

    /** @return a blocking Lease stub on client {@code i}'s connection */
    public LeaseGrpc.LeaseBlockingStub leaseBlocking(int i) {
        return leaseBlocking.get(i % leaseBlocking.size());
    }

    /**
     * Asks every endpoint for its {@code Maintenance.Status}.
     *
     * @return the statuses, in the order of {@code endpoints}
     * @throws Unreachable naming the first endpoint that does not answer within {@code timeoutMillis}
     */
    public static List<StatusResponse> statuses(List<String> endpoints, long timeoutMillis) throws Unreachable {
        EventLoopGroup loop = EventLoopGroups.newEventLoopGroup(1);
        ClientFactory f = ClientFactory.builder().workerGroup(loop, false).build();
        try {
            List<StatusResponse> out = new ArrayList<>();
            for (String e : endpoints) {
                try {
                    out.add(GrpcClients.builder("http://" + e).factory(f).responseTimeoutMillis(timeoutMillis)
                            .build(MaintenanceGrpc.MaintenanceBlockingStub.class)
                            .status(StatusRequest.getDefaultInstance()));
                } catch (RuntimeException ex) {
                    throw new Unreachable(e, ex);
                }
            }
            return out;
        } finally {
            f.close();
            shutDown(List.of(loop));
        }
    }

    /** @return the endpoint whose member says it leads, or null if none does */
    public static String leader(List<String> endpoints, List<StatusResponse> statuses) {
        for (int i = 0; i < endpoints.size(); i++) {
            StatusResponse s = statuses.get(i);
            if (s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId()) {
                return endpoints.get(i);
            }
        }
        return null;
    }

    @Override
    public void close() {
        factories.forEach(ClientFactory::closeAsync);
        factories.forEach(ClientFactory::close);
        shutDown(loops);
    }

    /** Stops event loops without Netty's default 2 s quiet period: the run is over, nothing more is sent. */
    private static void shutDown(List<EventLoopGroup> groups) {
        groups.forEach(g -> g.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS));
        groups.forEach(g -> g.terminationFuture().awaitUninterruptibly(3_000));
    }

    /** An endpoint that did not answer. */
    public static final class Unreachable extends Exception {
        /** The endpoint, {@code host:port}. */
        public final String endpoint;

        Unreachable(String endpoint, Throwable cause) {
            super(endpoint + " does not answer Maintenance.Status (" + io.grpc.Status.fromThrowable(cause).getCode()
                    + ": " + rootMessage(cause) + ")", cause);
            this.endpoint = endpoint;
        }

        private static String rootMessage(Throwable t) {
            Throwable r = t;
            while (r.getCause() != null && r.getCause() != r) {
                r = r.getCause();
            }
            return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
        }
    }
}
