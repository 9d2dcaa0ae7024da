package dev.keel.node.lease;

import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import dev.keel.node.api.LeaseLeasesMethod;
import dev.keel.node.process.EtcdStubs;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.ClientCalls;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What the lease tests need of an in-process Keel cluster: who leads, and etcd 3.4's LeaseLeases call. */
final class LeaseClusters {
    private LeaseClusters() {
    }

    /** @return the endpoint ({@code host:port}) of member {@code i} */
    static String endpoint(KeelCluster cluster, int i) {
        return cluster.member(i).clientEndpoints().get(0);
    }

    /** @return the index of the member every running member names as leader, once they agree */
    static int awaitLeader(KeelCluster cluster, long millis) {
        int[] leader = {-1};
        Awaits.until("the running members agree on a leader", millis, () -> {
            long agreed = 0;
            for (int i = 0; i < cluster.size(); i++) {
                if (cluster.member(i) == null) {
                    continue;
                }
                Optional<StatusResponse> s = EtcdStubs.status(endpoint(cluster, i));
                long l = s.map(StatusResponse::getLeader).orElse(0L);
                if (l == 0 || (agreed != 0 && l != agreed)) {
                    return false;
                }
                agreed = l;
            }
            for (int i = 0; i < cluster.size(); i++) {
                if (cluster.member(i) != null && cluster.member(i).memberId() == agreed) {
                    leader[0] = i;
                    return true;
                }
            }
            return false;
        });
        return leader[0];
    }

    /** @return the lease IDs member {@code endpoint} lists (etcd 3.4's LeaseLeases, over plain gRPC) */
    static long[] leases(String endpoint) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
        try {
            return LeaseLeasesMethod.ids(ClientCalls.blockingUnaryCall(channel, LeaseLeasesMethod.METHOD,
                    CallOptions.DEFAULT.withDeadlineAfter(15, TimeUnit.SECONDS),
                    com.google.protobuf.Empty.getDefaultInstance()));
        } finally {
            channel.shutdownNow();
        }
    }

    /** @return whether member {@code endpoint} lists lease {@code id} */
    static boolean lists(String endpoint, long id) {
        return Arrays.stream(leases(endpoint)).anyMatch(l -> l == id);
    }
}
