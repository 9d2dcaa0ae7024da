package dev.keel.node;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class KeelClusterTest {
    private static KVGrpc.KVBlockingStub kv(String endpoint) {
        return GrpcClients.newClient("http://" + endpoint, KVGrpc.KVBlockingStub.class);
    }

    @Test
    void threeMembersServeWritesAndReadsOnEveryMemberAndCleanUp() {
        Path root;
        try (KeelCluster cluster = KeelCluster.builder().members(3).start()) {
            root = cluster.dataRoot();
            String[] endpoints = cluster.endpoints().split(",");
            long t0 = System.nanoTime();
            Awaits.until("a put is acknowledged", 20_000, () -> {
                try {
                    kv(endpoints[0]).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
                            .setValue(ByteString.copyFromUtf8("v")).build());
                    return true;
                } catch (RuntimeException e) {
                    return false;
                }
            });
            System.out.println("first put acknowledged after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            for (String e : endpoints) {
                // A member that has not heard from the leader yet answers "no leader"; clients retry that.
                RangeResponse[] r = new RangeResponse[1];
                Awaits.until("a linearizable read on " + e, 20_000, () -> {
                    try {
                        r[0] = kv(e).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build());
                        return true;
                    } catch (io.grpc.StatusRuntimeException ex) {
                        return false;
                    }
                });
                assertEquals("v", r[0].getKvs(0).getValue().toStringUtf8(), e);
                assertEquals(cluster.member(0).clusterId(), r[0].getHeader().getClusterId());
            }
        }
        assertFalse(Files.exists(root), "closing deletes the temporary data");
    }
}
