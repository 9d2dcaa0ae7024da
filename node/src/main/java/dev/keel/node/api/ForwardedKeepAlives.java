package dev.keel.node.api;

import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One keepalive stream from this member to the leader, carrying a client stream's keepalives while this member
 * does not lead. The leader answers in order, so answers are matched to requests first-in first-out. Every
 * method runs on the client stream's thread (the leader's callbacks are moved there); when the stream breaks or
 * ends early, the requests still waiting go back to their owner to be routed again.
 */
final class ForwardedKeepAlives implements StreamObserver<LeaseKeepAliveResponse> {
    /** Where a forwarded keepalive's answer or loss is reported (on the client stream's thread). */
    interface Owner {
        void forwardAnswered(KeepAliveStream.Pending p, LeaseKeepAliveResponse response);

        void forwardLost(ForwardedKeepAlives stream, List<KeepAliveStream.Pending> lost, Status why);
    }

    /** etcd's request timeout at the defaults (5 s plus two election timeouts): the leader should have answered. */
    static final long ANSWER_TIMEOUT_MILLIS = 7_000;

    private final String url;
    private final Owner owner;
    private final ScheduledExecutorService thread;
    private final ArrayDeque<KeepAliveStream.Pending> awaiting = new ArrayDeque<>();
    private final StreamObserver<LeaseKeepAliveRequest> requests;
    private boolean ended;

    ForwardedKeepAlives(String url, LeaseGrpc.LeaseStub leader, Owner owner, ScheduledExecutorService thread) {
        this.url = url;
        this.owner = owner;
        this.thread = thread;
        this.requests = leader.leaseKeepAlive(this);
    }

    /** @return the leader's client URL this stream goes to */
    String url() {
        return url;
    }

    /** @return whether the stream can still carry keepalives */
    boolean usable() {
        return !ended;
    }

    void send(KeepAliveStream.Pending p) {
        awaiting.add(p);
        requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(p.leaseId()).build());
        thread.schedule(() -> {
            if (awaiting.contains(p)) {
                abandon(Status.DEADLINE_EXCEEDED.withDescription("the leader did not answer a keepalive"));
            }
        }, ANSWER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** No more keepalives: the leader answers those sent, then ends the stream. */
    void finish() {
        if (!ended) {
            ended = true;
            requests.onCompleted();
        }
    }

    /** Gives up on this stream (another leader, or no answer): what it still waits for is routed again. */
    void abandon(Status why) {
        if (!ended) {
            ended = true;
            requests.onError(why.asRuntimeException());
        }
        lost(why);
    }

    /** The client went away: drop the stream and whatever it still waits for. */
    void cancel() {
        awaiting.clear();
        if (!ended) {
            ended = true;
            requests.onError(Status.CANCELLED.withDescription("the client stream ended").asRuntimeException());
        }
    }

    @Override
    public void onNext(LeaseKeepAliveResponse response) {
        thread.execute(() -> {
            KeepAliveStream.Pending p = awaiting.poll();
            if (p != null) {
                owner.forwardAnswered(p, response);
            }
        });
    }

    @Override
    public void onError(Throwable t) {
        thread.execute(() -> lost(Status.fromThrowable(t)));
    }

    @Override
    public void onCompleted() {
        thread.execute(() -> lost(Status.UNAVAILABLE.withDescription("the leader ended the keepalive stream")));
    }

    private void lost(Status why) {
        ended = true;
        if (awaiting.isEmpty()) {
            return;
        }
        List<KeepAliveStream.Pending> lost = new ArrayList<>(awaiting);
        awaiting.clear();
        owner.forwardLost(this, lost, why);
    }
}
