package dev.keel.benchmarks.load;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
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
    private final List<KVGrpc.KVStub> kv = new ArrayList<>();
    private final List<WatchGrpc.WatchStub> watch = new ArrayList<>();
    private final List<LeaseGrpc.LeaseStub> lease = new ArrayList<>();
    private final List<LeaseGrpc.LeaseBlockingStub> leaseBlocking = new ArrayList<>();

    /** Opens {@code conns} connections over {@code endpoints}; unary calls get {@code timeoutMillis}. */
    public Connections(List<String> endpoints, int conns, long timeoutMillis) {
        for (int i = 0; i < conns; i++) {
            ClientFactory f = ClientFactory.builder().workerGroup(1).build();
            factories.add(f);
            String uri = "http://" + endpoints.get(i % endpoints.size());
            kv.add(GrpcClients.builder(uri).factory(f).responseTimeoutMillis(timeoutMillis).build(KVGrpc.KVStub.class));
            // Streams live as long as the run: no response deadline.
            watch.add(GrpcClients.builder(uri).factory(f).responseTimeoutMillis(0).build(WatchGrpc.WatchStub.class));
            lease.add(GrpcClients.builder(uri).factory(f).responseTimeoutMillis(0).build(LeaseGrpc.LeaseStub.class));
            leaseBlocking.add(GrpcClients.builder(uri).factory(f).responseTimeoutMillis(timeoutMillis)
                    .build(LeaseGrpc.LeaseBlockingStub.class));
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
        ClientFactory f = ClientFactory.builder().workerGroup(1).build();
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
        factories.forEach(ClientFactory::close);
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
