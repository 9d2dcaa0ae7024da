package dev.keel.node.api;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.keel.node.HeaderFacts;
import dev.keel.node.KernelContext;
import dev.keel.node.RequestGate;
import dev.keel.replica.ReplicaError;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * One LeaseTimeToLive call. On the leader a kernel task reads the lease (remaining TTL as the leader's clock
 * sees it, granted TTL, keys); on a follower it is forwarded to the leader with one unary call, and the answer
 * carries this member's header, as etcd's follower fills its own. Without a leader, or when the leader cannot
 * be reached, it is routed again with back-off ({@link LeaderWait}) before failing with etcd's "no leader" or
 * "request timed out". Everything but the kernel task runs on the call's event loop.
 */
final class TimeToLiveCall {
    private final RequestGate gate;
    private final LeaderClients leaders;
    private final LeaseTimeToLiveRequest request;
    private final StreamObserver<LeaseTimeToLiveResponse> out;
    private final BiFunction<KernelContext, LeaseTimeToLiveRequest, byte[]> readOnLeader;
    private final ScheduledExecutorService loop;
    private int attempts;

    /** @param readOnLeader the kernel's TimeToLive answer, read on the kernel thread */
    TimeToLiveCall(RequestGate gate, LeaderClients leaders, LeaseTimeToLiveRequest request,
                   StreamObserver<LeaseTimeToLiveResponse> out,
                   BiFunction<KernelContext, LeaseTimeToLiveRequest, byte[]> readOnLeader) {
        this.gate = gate;
        this.leaders = leaders;
        this.request = request;
        this.out = out;
        this.readOnLeader = readOnLeader;
        this.loop = ServiceRequestContext.current().eventLoop();
    }

    void start() {
        boolean queued = gate.run(kernel -> {
            HeaderFacts facts = kernel.facts();
            if (kernel.replica().isLeader()) {
                byte[] answer = readOnLeader.apply(kernel, request);
                loop.execute(() -> answerLocally(answer, facts));
            } else {
                long leader = kernel.replica().leaderId();
                List<String> urls = leader == 0 ? List.of() : kernel.clientUrlsOf(leader);
                loop.execute(() -> forward(leader, urls, facts));
            }
        });
        if (!queued) {
            out.onError(RequestGate.TOO_MANY_REQUESTS.asRuntimeException());
        }
    }

    private void answerLocally(byte[] answer, HeaderFacts facts) {
        LeaseTimeToLiveResponse response;
        try {
            response = LeaseCodec.decodeTimeToLive(answer, facts);
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }

    private void forward(long leader, List<String> urls, HeaderFacts facts) {
        Optional<LeaseGrpc.LeaseStub> stub = leader == 0 ? Optional.empty()
                : leaders.stub(urls, LeaseGrpc.LeaseStub.class);
        if (stub.isEmpty()) {
            retryLater(leader == 0 ? ReplicaError.NO_LEADER : ReplicaError.TIMED_OUT);
            return;
        }
        stub.get().leaseTimeToLive(request, new StreamObserver<>() {
            @Override
            public void onNext(LeaseTimeToLiveResponse response) {
                LeaseTimeToLiveResponse local = response.toBuilder().setHeader(response.getHeader().toBuilder()
                        .setClusterId(facts.clusterId()).setMemberId(facts.memberId())
                        .setRaftTerm(facts.raftTerm())).build();
                loop.execute(() -> {
                    out.onNext(local);
                    out.onCompleted();
                });
            }

            @Override
            public void onError(Throwable t) {
                Status status = Status.fromThrowable(t);
                loop.execute(() -> {
                    if (etcdAnswer(status)) {
                        out.onError(status.asRuntimeException()); // the leader's own refusal
                    } else {
                        retryLater(ReplicaError.TIMED_OUT); // the leader went away: find the next one
                    }
                });
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    /** @return whether the status is an etcd server's answer rather than a failure to reach the leader */
    static boolean etcdAnswer(Status status) {
        String d = status.getDescription();
        return d != null && d.startsWith("etcdserver:") && status.getCode() != Status.Code.UNAVAILABLE;
    }

    private void retryLater(ReplicaError giveUp) {
        if (!LeaderWait.mayRetry(attempts)) {
            out.onError(Status.fromCodeValue(giveUp.grpcCode()).withDescription(giveUp.message())
                    .asRuntimeException());
            return;
        }
        attempts++;
        loop.schedule(this::start, LeaderWait.delayMillis(attempts), TimeUnit.MILLISECONDS);
    }
}
