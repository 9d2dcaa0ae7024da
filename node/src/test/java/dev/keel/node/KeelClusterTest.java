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
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeelClusterTest {
    private static KVGrpc.KVBlockingStub kv(String endpoint) {
        return GrpcClients.newClient("http://" + endpoint, KVGrpc.KVBlockingStub.class);
    }

    @Test
    void aPortTakenByAnotherProcessIsRecognisedAndRetriedAtMostThreeTimes() throws Exception {
        try (java.net.ServerSocket held = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String taken = "http://127.0.0.1:" + held.getLocalPort();
            int[] starts = {0};
            // Every try binds the peer port to the held one, so every try fails: the start gives up with the
            // bind failure after three tries instead of looping.
            NodeStartException refused = org.junit.jupiter.api.Assertions.assertThrows(NodeStartException.class,
                    () -> KeelCluster.builder().members(1).configure(c -> {
                        starts[0]++;
                        return new dev.keel.node.config.NodeConfig(c.name(), c.dataDir(), c.listenClientUrls(),
                                c.advertiseClientUrls(), java.util.List.of(taken), c.initialAdvertisePeerUrls(),
                                c.initialCluster(), c.newCluster(), c.clusterToken(), c.heartbeatMillis(),
                                c.electionMillis(), c.snapshotCount(), c.autoCompactionMode(),
                                c.autoCompactionRetention(), c.quotaBackendBytes(), c.maxRequestBytes(), c.maxTxnOps());
                    }).start());
            assertTrue(KeelCluster.Builder.portTaken(refused), refused.toString());
            assertEquals(3, starts[0], "tries");
            assertFalse(KeelCluster.Builder.portTaken(new NodeStartException("data dir in use", null)));
        }
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
