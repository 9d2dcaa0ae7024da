package dev.keel.node.process;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * etcd gRPC stubs for process tests, one per endpoint and kind, kept: Armeria's client reconnects by itself
 * after the member behind an endpoint restarted. Every call has a deadline so a dead member cannot hang a test.
 */
public final class EtcdStubs {
    private static final long KV_TIMEOUT_MILLIS = 2_000;
    private static final long STATUS_TIMEOUT_MILLIS = 1_000;
    private static final Map<String, KVGrpc.KVBlockingStub> KV = new ConcurrentHashMap<>();
    private static final Map<String, MaintenanceGrpc.MaintenanceBlockingStub> MAINTENANCE = new ConcurrentHashMap<>();

    private EtcdStubs() {
    }

    /** @return a KV stub for {@code host:port} */
    public static KVGrpc.KVBlockingStub kv(String endpoint) {
        return KV.computeIfAbsent(endpoint, e -> GrpcClients.builder("http://" + e)
                .responseTimeoutMillis(KV_TIMEOUT_MILLIS).maxResponseLength(64L << 20)
                .maxResponseMessageLength(64 << 20).build(KVGrpc.KVBlockingStub.class));
    }

    /** @return the member's status, or empty when it does not answer in time (down, starting, stopping) */
    public static Optional<StatusResponse> status(String endpoint) {
        MaintenanceGrpc.MaintenanceBlockingStub stub = MAINTENANCE.computeIfAbsent(endpoint, e ->
                GrpcClients.builder("http://" + e).responseTimeoutMillis(STATUS_TIMEOUT_MILLIS)
                        .build(MaintenanceGrpc.MaintenanceBlockingStub.class));
        try {
            return Optional.of(stub.status(StatusRequest.getDefaultInstance()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** @return a range over every key that starts with {@code prefix}, linearizable unless {@code serializable} */
    public static RangeRequest prefix(String prefix, boolean serializable) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++; // etcd's prefix range: the prefix with its last byte incremented
        return RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(prefix))
                .setRangeEnd(ByteString.copyFrom(end)).setSerializable(serializable).build();
    }

    /** @return every key under {@code prefix} with its value, read from {@code endpoint} */
    public static Map<String, String> read(String endpoint, String prefix, boolean serializable) {
        RangeResponse r = kv(endpoint).range(prefix(prefix, serializable));
        Map<String, String> out = new ConcurrentHashMap<>();
        r.getKvsList().forEach(kv -> out.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8()));
        return out;
    }
}
