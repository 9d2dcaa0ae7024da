package dev.keel.node.compat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Plain KV writes over gRPC for watch sessions; each returns the revision it made. */
final class Writes implements AutoCloseable {
    private final ManagedChannel channel;
    private final KVGrpc.KVBlockingStub kv;

    Writes(String endpoint) {
        channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
        kv = KVGrpc.newBlockingStub(channel);
    }

    private KVGrpc.KVBlockingStub stub() {
        return kv.withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    long put(String key, String value) {
        return stub().put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build())
                .getHeader().getRevision();
    }

    long delete(String key) {
        return stub().deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes(key)).build()).getHeader().getRevision();
    }

    void compact(long revision) {
        stub().compact(CompactionRequest.newBuilder().setRevision(revision).setPhysical(true).build());
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
