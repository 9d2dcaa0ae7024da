package dev.keel.node.lease;

import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import dev.keel.node.api.LeaseLeasesMethod;
import dev.keel.node.process.EtcdStubs;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.ClientCalls;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

    /** @return a LeaseTimeToLive's answer over plain gRPC: {@code TTL=n} or {@code CODE: description} */
    static String timeToLive(String endpoint, long id) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
        try {
            return "TTL=" + LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).build()).getTTL();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() + ": " + e.getStatus().getDescription();
        } finally {
            channel.shutdownNow();
        }
    }

    /** @return the answer to one keepalive on a new stream: {@code TTL=n} or how the stream failed */
    static String keepAliveOnce(String endpoint, long id) throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
        try {
            CompletableFuture<String> answer = new CompletableFuture<>();
            StreamObserver<LeaseKeepAliveRequest> requests = LeaseGrpc.newStub(channel).leaseKeepAlive(
                    new StreamObserver<>() {
                        @Override
                        public void onNext(LeaseKeepAliveResponse r) {
                            answer.complete("TTL=" + r.getTTL());
                        }

                        @Override
                        public void onError(Throwable t) {
                            Status s = Status.fromThrowable(t);
                            answer.complete(s.getCode() + ": " + s.getDescription());
                        }

                        @Override
                        public void onCompleted() {
                            answer.complete("completed without an answer");
                        }
                    });
            requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
            String result = answer.get(60, TimeUnit.SECONDS);
            requests.onCompleted();
            return result;
        } finally {
            channel.shutdownNow();
        }
    }

    /** @return whether member {@code endpoint} lists lease {@code id} */
    static boolean lists(String endpoint, long id) {
        return Arrays.stream(leases(endpoint)).anyMatch(l -> l == id);
    }
}
