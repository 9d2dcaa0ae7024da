package dev.keel.node;

import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.wire.AuthEnvelope;
import dev.keel.kernel.auth.wire.AuthResponseView;
import dev.keel.node.auth.AuthEvents;
import dev.keel.node.auth.CallerIdentity;
import dev.keel.kernel.raft.ConfState;
import io.grpc.Status;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.concurrent.ForkJoinPool;

/**
 * The gate over the node's {@link Inbox} and {@link Calls}. Every client request body (writes and reads) goes
 * into the kernel inside an {@link AuthEnvelope} naming the calling thread's {@link CallerIdentity} and the auth
 * revision this member last applied; the kernel checks it where it executes. An answer of
 * {@link AuthError#AUTH_OLD_REVISION} (an auth change was applied after the revision was read) is retried with
 * the fresh revision, at most {@link #MAX_AUTH_TRIES} times, as etcd's {@code raftRequest} loop.
 */
final class InboxGate implements RequestGate {
    /** Tries of one request before AUTH_OLD_REVISION goes back to the client. */
    static final int MAX_AUTH_TRIES = 10;

    private final Inbox inbox;
    private final Calls calls;
    private final AuthEvents auth;

    InboxGate(Inbox inbox, Calls calls, AuthEvents auth) {
        this.inbox = inbox;
        this.calls = calls;
        this.auth = auth;
    }

    InboxGate(Inbox inbox, Calls calls) {
        this(inbox, calls, new AuthEvents());
    }

    @Override
    public void submit(int type, DirectBuffer body, int offset, int length, Reply reply) {
        if (type != WRITE && type != READ && type != READ_SERIALIZABLE) {
            offer(type, body, offset, length, reply);
            return;
        }
        byte[] inner = new byte[length];
        body.getBytes(offset, inner);
        send(type, CallerIdentity.user(), inner, reply, 1);
    }

    private void send(int type, String user, byte[] inner, Reply reply, int attempt) {
        byte[] enveloped = AuthEnvelope.encode(user, auth.revision(), inner);
        offer(type, new UnsafeBuffer(enveloped), 0, enveloped.length,
                new RetryOnOldRevision(type, user, inner, reply, attempt));
    }

    private void offer(int type, DirectBuffer body, int offset, int length, Reply reply) {
        long token = calls.register(reply);
        if (token < 0) {
            reply.failed(TOO_MANY_REQUESTS);
            return;
        }
        if (!inbox.offer(type, token, body, offset, length)) {
            calls.cancel(reply);
            reply.failed(TOO_MANY_REQUESTS);
        }
    }

    @Override
    public boolean run(KernelTask task) {
        return inbox.offer(task);
    }

    /** Passes every answer on, except an old-revision refusal, which is sent again (off the kernel thread). */
    private final class RetryOnOldRevision extends Reply {
        private final int type;
        private final String user;
        private final byte[] inner;
        private final Reply target;
        private final int attempt;

        RetryOnOldRevision(int type, String user, byte[] inner, Reply target, int attempt) {
            this.type = type;
            this.user = user;
            this.inner = inner;
            this.target = target;
            this.attempt = attempt;
        }

        @Override
        public void succeeded(byte[] mvccResponse, HeaderFacts facts) {
            if (attempt < MAX_AUTH_TRIES && AuthResponseView.authError(new UnsafeBuffer(mvccResponse), 0,
                    mvccResponse.length) == AuthError.AUTH_OLD_REVISION) {
                // Not on the kernel thread: it must not wait for its own inbox.
                ForkJoinPool.commonPool().execute(() -> send(type, user, inner, target, attempt + 1));
                return;
            }
            target.succeeded(mvccResponse, facts);
        }

        @Override
        public void failed(Status status) {
            target.failed(status);
        }

        @Override
        public void notLeader(long leader, List<String> leaderClientUrls, Status status) {
            target.notLeader(leader, leaderClientUrls, status);
        }

        @Override
        public void status(NodeStatus status) {
            target.status(status);
        }

        @Override
        public void members(MemberListing members) {
            target.members(members);
        }

        @Override
        public void adminSucceeded(ConfState members, long leader, HeaderFacts facts) {
            target.adminSucceeded(members, leader, facts);
        }
    }
}
