package dev.keel.harness.client;

import com.linecorp.armeria.client.grpc.GrpcClients;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.lock.LockGrpc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * etcd gRPC stubs by endpoint, built once and kept (Armeria's client reconnects by itself after the member
 * behind an endpoint restarts). Blocking stubs carry the call deadline given at construction, so a partitioned or
 * paused member can never hang a client thread; streaming stubs get no deadline (watch and keep-alive streams
 * live long) and their users bound each wait themselves.
 */
public final class EtcdClients {
    private final long timeoutMillis;
    private final Map<String, Object> stubs = new ConcurrentHashMap<>();

    /** @param timeoutMillis the deadline of every blocking call */
    public EtcdClients(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** @return a KV stub for {@code host:port} */
    public KVGrpc.KVBlockingStub kv(String endpoint) {
        return blocking(endpoint, KVGrpc.KVBlockingStub.class);
    }

    /** @return a Lease stub for unary calls (grant, revoke, time-to-live) */
    public LeaseGrpc.LeaseBlockingStub lease(String endpoint) {
        return blocking(endpoint, LeaseGrpc.LeaseBlockingStub.class);
    }

    /** @return a Lease stub for keep-alive streams */
    public LeaseGrpc.LeaseStub leaseStreams(String endpoint) {
        return streaming(endpoint, LeaseGrpc.LeaseStub.class);
    }

    /** @return a Watch stub */
    public WatchGrpc.WatchStub watch(String endpoint) {
        return streaming(endpoint, WatchGrpc.WatchStub.class);
    }

    /** @return a v3lock stub */
    public LockGrpc.LockBlockingStub lock(String endpoint) {
        return blocking(endpoint, LockGrpc.LockBlockingStub.class);
    }

    /** @return a Cluster stub (member add, remove, list) */
    public ClusterGrpc.ClusterBlockingStub cluster(String endpoint) {
        return blocking(endpoint, ClusterGrpc.ClusterBlockingStub.class);
    }

    /** @return a Maintenance stub (status, move leader) */
    public MaintenanceGrpc.MaintenanceBlockingStub maintenance(String endpoint) {
        return blocking(endpoint, MaintenanceGrpc.MaintenanceBlockingStub.class);
    }

    private <T> T blocking(String endpoint, Class<T> type) {
        return type.cast(stubs.computeIfAbsent(endpoint + " " + type.getName(), k -> GrpcClients
                .builder("http://" + endpoint).responseTimeoutMillis(timeoutMillis)
                .maxResponseLength(64L << 20).maxResponseMessageLength(64 << 20).build(type)));
    }

    private <T> T streaming(String endpoint, Class<T> type) {
        return type.cast(stubs.computeIfAbsent(endpoint + " " + type.getName(), k -> GrpcClients
                .builder("http://" + endpoint).responseTimeoutMillis(0).writeTimeoutMillis(0)
                .maxResponseLength(0).maxResponseMessageLength(64 << 20).build(type)));
    }
}
