package dev.keel.node.api;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.keel.node.HeaderFacts;
import dev.keel.node.LeaseStats;
import dev.keel.node.Reply;
import dev.keel.node.RequestGate;
import dev.keel.replica.ReplicaError;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One client's LeaseKeepAlive stream. Each keepalive becomes a kernel task calling {@code Replica.keepAlive}; the
 * leader answers it from its lease clock, a follower refuses and names the leader, and the keepalive is then
 * forwarded over this stream's own keepalive stream to the leader ({@link ForwardedKeepAlives}), opened again
 * when the leader changes. Answers go out in the order the keepalives came, whichever way each was served.
 * Without a leader (or when the leader's stream breaks) a keepalive is routed again with back-off
 * ({@link LeaderWait}) before the stream fails with "no leader" or "request timed out", as etcd's follower
 * does. All state lives on the call's event loop.
 *
 * <p>The stream takes at most {@link #WINDOW} keepalives ahead of their sent answers, and asks for more only
 * while the call is ready (gRPC's inbound flow control, taken by hand): a client that pipelines keepalives
 * faster than they are answered, or reads its answers slowly (over gRPC or the JSON gateway), is paced as etcd's
 * one-at-a-time loop paces it, instead of the answers queueing or the stream failing "too many requests".
 */
final class KeepAliveStream implements StreamObserver<LeaseKeepAliveRequest>, ForwardedKeepAlives.Owner {
    /** At most this many keepalives wait for answers in one stream. */
    static final int MAX_PENDING = 4096;
    /** Keepalives asked of the transport whose answers were not sent yet, at most. */
    static final int WINDOW = 64;
    private static final Status TOO_MANY = RequestGate.TOO_MANY_REQUESTS;

    /** A keepalive waiting for its answer, in arrival order. */
    static final class Pending {
        private final long leaseId;
        private int attempts;
        private LeaseKeepAliveResponse answer;
        /** This member's header facts when the keepalive was forwarded (for the answer's header). */
        private HeaderFacts facts;

        Pending(long leaseId) {
            this.leaseId = leaseId;
        }

        long leaseId() {
            return leaseId;
        }
    }

    private final RequestGate gate;
    private final LeaderClients leaders;
    private final LeaseStats stats;
    private final StreamObserver<LeaseKeepAliveResponse> out;
    private final ScheduledExecutorService loop;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private ForwardedKeepAlives forward;
    private boolean halfClosed;
    private boolean done;
    /** Null when the observer is not a server call's (no flow control to take). */
    private final ServerCallStreamObserver<LeaseKeepAliveResponse> call;
    /** Keepalives asked for and not answered yet. */
    private int inFlight;

    KeepAliveStream(RequestGate gate, LeaderClients leaders, LeaseStats stats,
                    StreamObserver<LeaseKeepAliveResponse> out) {
        this.gate = gate;
        this.leaders = leaders;
        this.stats = stats;
        this.out = out;
        this.loop = ServiceRequestContext.current().eventLoop();
        this.call = out instanceof ServerCallStreamObserver<LeaseKeepAliveResponse> c ? c : null;
        if (call != null) {
            // Only while the service method runs may the automatic request(1) per message be turned off.
            call.disableAutoRequest();
            call.setOnReadyHandler(() -> loop.execute(this::pace));
            // A client that cancels (a timeout, a closed channel) may do so while a forwarded answer is on its way:
            // with this handler set, gRPC drops a late onNext instead of throwing it into the event loop.
            call.setOnCancelHandler(() -> loop.execute(this::clientGone));
            inFlight = WINDOW;
            call.request(WINDOW);
        }
    }

    /** Asks for more keepalives while the call is ready and the window has room. */
    private void pace() {
        if (call != null && !done && inFlight < WINDOW && call.isReady()) {
            int more = WINDOW - inFlight;
            inFlight = WINDOW;
            call.request(more);
        }
    }

    @Override
    public void onNext(LeaseKeepAliveRequest request) {
        loop.execute(() -> {
            if (done) {
                return;
            }
            if (pending.size() >= MAX_PENDING) {
                fail(TOO_MANY);
                return;
            }
            Pending p = new Pending(request.getID());
            pending.add(p);
            route(p);
        });
    }

    @Override
    public void onError(Throwable t) {
        loop.execute(this::clientGone);
    }

    /** The client went away: nothing more is sent, and the keepalives forwarded for it are cancelled. */
    private void clientGone() {
        done = true;
        pending.clear();
        if (forward != null) {
            forward.cancel();
        }
    }

    @Override
    public void onCompleted() {
        loop.execute(() -> {
            halfClosed = true;
            flush();
        });
    }

    /** Hands the keepalive to the kernel thread: served there if this member leads, else refused with the leader. */
    private void route(Pending p) {
        Answer answer = new Answer(p);
        boolean queued = gate.run(kernel -> {
            answer.facts = kernel.facts();
            long token = kernel.register(answer);
            if (token < 0) {
                answer.failed(TOO_MANY);
            } else {
                kernel.replica().keepAlive(token, p.leaseId);
            }
        });
        if (!queued) {
            fail(TOO_MANY);
        }
    }

    private void answered(Pending p, LeaseKeepAliveResponse response) {
        if (done) {
            return;
        }
        if (response.getTTL() > 0) {
            stats.onKeepAlive();
        }
        p.answer = response;
        flush();
    }

    /** Sends the answers that are next in order; ends the stream once the client finished and all are sent. */
    private void flush() {
        while (!done && !pending.isEmpty() && pending.peek().answer != null) {
            out.onNext(pending.poll().answer);
            inFlight--;
        }
        pace();
        if (!done && halfClosed && pending.isEmpty()) {
            done = true;
            if (forward != null) {
                forward.finish();
            }
            out.onCompleted();
        }
    }

    private void notLeader(Pending p, long leader, List<String> urls, Status status, HeaderFacts facts) {
        if (done) {
            return;
        }
        if (leader == 0) {
            retryLater(p, Status.UNAVAILABLE.withDescription(ReplicaError.NO_LEADER.message()));
            return;
        }
        Optional<LeaseGrpc.LeaseStub> stub = leaders.stub(urls, LeaseGrpc.LeaseStub.class);
        String url = leaders.dialable(urls).orElse(null);
        if (stub.isEmpty() || url == null) {
            retryLater(p, status); // the leader has not told this member its URLs yet
            return;
        }
        if (forward == null || !forward.usable() || !forward.url().equals(url)) {
            if (forward != null) {
                // The old leader may be gone without a word: what it has not answered goes to the new one.
                forward.abandon(Status.UNAVAILABLE.withDescription("the leader changed"));
            }
            forward = new ForwardedKeepAlives(url, stub.get(), this, loop);
        }
        p.facts = facts;
        forward.send(p);
    }

    @Override
    public void forwardAnswered(Pending p, LeaseKeepAliveResponse response) {
        // As etcd's follower, the header is this member's: it fills its own after the leader answered.
        HeaderFacts f = p.facts;
        LeaseKeepAliveResponse local = f == null ? response : response.toBuilder().setHeader(response.getHeader()
                .toBuilder().setClusterId(f.clusterId()).setMemberId(f.memberId()).setRaftTerm(f.raftTerm()))
                .build();
        answered(p, local);
    }

    @Override
    public void forwardLost(ForwardedKeepAlives stream, List<Pending> lost, Status why) {
        if (stream == forward) {
            forward = null;
        }
        for (Pending p : lost) {
            retryLater(p, Status.UNAVAILABLE.withDescription(ReplicaError.TIMED_OUT.message()));
        }
    }

    /** The leader could not be reached now: try again after a pause, or give up with {@code giveUp}. */
    private void retryLater(Pending p, Status giveUp) {
        if (done) {
            return;
        }
        if (!LeaderWait.mayRetry(p.attempts)) {
            fail(giveUp);
            return;
        }
        p.attempts++;
        loop.schedule(() -> {
            if (!done) {
                route(p);
            }
        }, LeaderWait.delayMillis(p.attempts), TimeUnit.MILLISECONDS);
    }

    private void fail(Status status) {
        if (done) {
            return;
        }
        done = true;
        pending.clear();
        if (forward != null) {
            forward.cancel();
        }
        out.onError(status.asRuntimeException());
    }

    /** The kernel thread's answer to one keepalive, moved to the stream's thread. */
    private final class Answer extends Reply {
        private final Pending p;
        /** Written on the kernel thread before the replica can answer; read after the hand-off to the loop. */
        private HeaderFacts facts;

        Answer(Pending p) {
            this.p = p;
        }

        @Override
        public void succeeded(byte[] mvccResponse, HeaderFacts facts) {
            loop.execute(() -> {
                LeaseKeepAliveResponse response;
                try {
                    response = LeaseCodec.decodeKeepAlive(mvccResponse, p.leaseId, facts);
                } catch (StatusRuntimeException e) {
                    fail(e.getStatus());
                    return;
                }
                answered(p, response);
            });
        }

        @Override
        public void failed(Status status) {
            loop.execute(() -> fail(status));
        }

        @Override
        public void notLeader(long leader, List<String> leaderClientUrls, Status status) {
            HeaderFacts f = facts;
            loop.execute(() -> KeepAliveStream.this.notLeader(p, leader, leaderClientUrls, status, f));
        }
    }
}
