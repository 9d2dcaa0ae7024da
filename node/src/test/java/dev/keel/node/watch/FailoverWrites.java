package dev.keel.node.watch;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.StatusRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes for failover tests over plain gRPC (no client-side retries hidden inside): a put goes to the first member
 * that answers; one that fails may still have been committed, and may then be committed twice when tried on the
 * next member, which is why tests take the committed sequence from the survivors' history, not from these acks.
 */
final class FailoverWrites implements AutoCloseable {
    private final List<ManagedChannel> channels = new ArrayList<>();

    FailoverWrites(List<String> endpoints) {
        for (String e : endpoints) {
            channels.add(ManagedChannelBuilder.forTarget(e).usePlaintext().build());
        }
    }

    /** @return the revision of the put, or -1 when no member took it within the attempts */
    long put(String key, String value) {
        for (int attempt = 0; attempt < 3 * channels.size(); attempt++) {
            ManagedChannel c = channels.get(attempt % channels.size());
            try {
                return KVGrpc.newBlockingStub(c).withDeadlineAfter(5, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                        .setKey(bytes(key)).setValue(bytes(value)).build()).getHeader().getRevision();
            } catch (StatusRuntimeException unavailableOrNoLeader) {
                // the member is down or has no leader yet: try the next one
            }
        }
        return -1;
    }

    /** @return the leader member {@code endpointIndex} knows of (0 when none or unreachable) */
    long leaderSeenBy(int endpointIndex) {
        try {
            return MaintenanceGrpc.newBlockingStub(channels.get(endpointIndex)).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance()).getLeader();
        } catch (StatusRuntimeException down) {
            return 0;
        }
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
    }
}
