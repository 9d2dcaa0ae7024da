package dev.keel.replica;

import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.MvccStateMachine;
import dev.keel.kernel.raft.RaftError;
import dev.keel.kernel.raft.RaftNode;
import dev.keel.kernel.raft.ReadState;
import dev.keel.kernel.raft.Role;
import dev.keel.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The life of client requests inside a replica: writes proposed here or forwarded to the leader and answered
 * when their envelope is applied here; linearizable reads batched into ReadIndex rounds; serializable reads
 * served at once; deadlines; and the leader's side of forwarding. Every answer goes to the {@link ReplyPort}.
 * The caller owns the kernel and calls only when it may be stepped.
 */
final class ClientRequests {
    private final long self;
    private final ReplyPort replies;
    private final Transport transport;
    private final PendingWrites writes = new PendingWrites();
    private final ReadBatches reads;
    private final ForwardDedup dedup = new ForwardDedup();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(1024);
    private final ExpandableArrayBuffer response = new ExpandableArrayBuffer(4096);
    private final int timeoutTicks;
    /** The term of the last entry applied here in this life (forwards of earlier terms were settled then). */
    private long appliedTerm;

    ClientRequests(long self, ReplyPort replies, Transport transport, int timeoutTicks, int maxReads) {
        this.self = self;
        this.replies = replies;
        this.transport = transport;
        this.timeoutTicks = timeoutTicks;
        this.reads = new ReadBatches(maxReads);
    }

    /** See {@link PendingWrites#startLife}. */
    void startLife(long bootStamp) {
        writes.startLife(bootStamp);
        reads.startLife(bootStamp);
        appliedTerm = 0;
    }

    /** This member leads {@code term} (see {@link ForwardDedup}). */
    void startedLeading(long term) {
        dedup.startTerm(term);
    }

    // ---------------------------------------------------------------- writes

    /** A client's write: validated, then proposed (leader) or forwarded (follower). */
    void write(RaftNode raft, MvccStateMachine mvcc, long nowTick, long token, DirectBuffer req, int off, int len) {
        MvccError invalid = mvcc.validate(req, off, len);
        if (invalid != MvccError.OK) {
            replies.rejected(token, invalid);
            return;
        }
        long leader = raft.leaderId();
        if (raft.role() == Role.LEADER) {
            long id = writes.add(token, nowTick + timeoutTicks);
            long index = propose(raft, self, id, req, off, len);
            if (index <= 0) {
                writes.take(id);
                replies.failed(token, index == RaftError.TRANSFER_IN_PROGRESS ? ReplicaError.LEADER_CHANGED
                        : ReplicaError.NO_LEADER, Fate.NOT_APPLIED, leader);
                return;
            }
            writes.proposedAt(id, index, raft.term());
        } else if (leader != 0) {
            long id = writes.addForward(token, nowTick + timeoutTicks, raft.term());
            int n = ForwardFrame.encode(scratch, ForwardFrame.FORWARD, self, raft.term(), id, leader, req, off, len);
            transport.send(leader, scratch, 0, n);
        } else {
            replies.failed(token, ReplicaError.NO_LEADER, Fate.NOT_APPLIED, 0);
        }
    }

    /** Proposes an enveloped entry; returns its index or a negative {@link RaftError}. */
    long propose(RaftNode raft, long origin, long requestId, DirectBuffer req, int off, int len) {
        int n = Proposal.encode(scratch, origin, requestId, req, off, len);
        return raft.propose(scratch, 0, n);
    }

    /** A forward frame from a peer. */
    void onFrame(RaftNode raft, DirectBuffer frame, int off, int len) {
        if (!ForwardFrame.valid(frame, off, len)) {
            return; // a peer sent garbage: drop it, as the kernel drops undecodable messages
        }
        long from = frame.getLong(off + ForwardFrame.FROM_OFFSET, ForwardFrame.ORDER);
        long term = frame.getLong(off + ForwardFrame.TERM_OFFSET, ForwardFrame.ORDER);
        long id = frame.getLong(off + ForwardFrame.REQUEST_ID_OFFSET, ForwardFrame.ORDER);
        if (frame.getByte(off + ForwardFrame.KIND_OFFSET) == ForwardFrame.REJECT) {
            boolean never = (frame.getShort(off + ForwardFrame.FLAGS_OFFSET, ForwardFrame.ORDER)
                    & ForwardFrame.NEVER_PROPOSED) != 0;
            if (never && writes.isForward(id)) {
                PendingWrites.Waiting w = writes.take(id);
                replies.failed(w.token, ReplicaError.LEADER_CHANGED, Fate.NOT_APPLIED,
                        frame.getLong(off + ForwardFrame.HINT_OFFSET, ForwardFrame.ORDER));
            }
            // Otherwise another copy of the forward (networks duplicate) may have been proposed: the write keeps
            // waiting until its envelope or a later term's entry is applied here, or its deadline passes.
            return;
        }
        boolean accept = raft.role() == Role.LEADER && term == raft.term();
        if (accept && !dedup.firstTime(term, from, id)) {
            return; // a duplicate of a forward proposed already
        }
        if (accept && propose(raft, from, id, frame, off + ForwardFrame.HEADER, len - ForwardFrame.HEADER) > 0) {
            return;
        }
        // Refused. Certainly never proposed if the proposal just failed (the dedup memory drops later copies),
        // or if this member led the forward's term, no longer does (so never will) and never proposed it.
        short flags = accept || dedup.neverAccepted(term, from, id) ? ForwardFrame.NEVER_PROPOSED : 0;
        int n = ForwardFrame.encode(scratch, ForwardFrame.REJECT, flags, self, raft.term(), id, raft.leaderId(),
                null, 0, 0);
        transport.send(from, scratch, 0, n);
    }

    /**
     * Entry {@code index} of {@code term} was applied; if it carries one of our requests, answer it with the
     * store's response. Writes forwarded in an earlier term and not applied by now never will be.
     */
    void onApplied(long index, long term, long origin, long requestId, DirectBuffer resp, int respLength,
                   long leader) {
        PendingWrites.Waiting lost = writes.overwrittenAt(index, self, origin, requestId);
        if (lost != null) {
            replies.failed(lost.token, ReplicaError.LEADER_CHANGED, Fate.NOT_APPLIED, leader);
        }
        if (origin == self && requestId != 0) {
            PendingWrites.Waiting w = writes.take(requestId);
            if (w != null) {
                replies.succeeded(w.token, resp, 0, respLength);
            }
        }
        if (term > appliedTerm) {
            appliedTerm = term;
            writes.forwardedBefore(term,
                    w -> replies.failed(w.token, ReplicaError.LEADER_CHANGED, Fate.NOT_APPLIED, leader));
        }
    }

    /**
     * A snapshot replaced the log up to {@code index} (of {@code term}): writes proposed here at or below it cannot
     * be told; forwarded writes of {@code term} or earlier may be inside it.
     */
    void onSnapshotInstalled(long index, long term, long leader) {
        writes.blindForwardsUpTo(term);
        PendingWrites.Waiting w;
        while ((w = writes.takeProposedAtOrBelow(index)) != null) {
            replies.failed(w.token, ReplicaError.LEADER_CHANGED, Fate.UNKNOWN, leader);
        }
    }

    // ---------------------------------------------------------------- reads

    /** A serializable read: served from the local store at once. */
    void readSerializable(MvccStateMachine mvcc, long token, DirectBuffer req, int off, int len) {
        int n = mvcc.range(req, off, len, response);
        replies.succeeded(token, response, 0, n);
    }

    /** A linearizable read: waits for the next ReadIndex round. */
    void readLinearizable(long nowTick, long token, DirectBuffer req, int off, int len, long leader) {
        if (!reads.add(token, nowTick + timeoutTicks, req, off, len)) {
            replies.failed(token, ReplicaError.TOO_MANY_REQUESTS, Fate.NOT_APPLIED, leader);
        }
    }

    /** Starts a ReadIndex round for the waiting reads if none is in flight. */
    void startReadRound(RaftNode raft) {
        if (!reads.roundDue()) {
            return;
        }
        long context = reads.startRound();
        if (raft.readIndex(context) != RaftError.OK) {
            failRound(reads.answered(context), ReplicaError.TOO_MANY_REQUESTS, raft.leaderId());
        }
    }

    /** A read state came out of a Ready: serve (the index is applied) or fail its round. */
    void onReadState(MvccStateMachine mvcc, long context, byte status, long leader) {
        ReadBatches.Batch batch = reads.answered(context);
        if (batch == null) {
            return;
        }
        if (status != ReadState.OK) {
            failRound(batch, leader == 0 ? ReplicaError.NO_LEADER : ReplicaError.LEADER_CHANGED, leader);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            int n = mvcc.range(batch.bytes, batch.requestOffset(i), batch.requestLength(i), response);
            replies.succeeded(batch.tokens.getLong(i), response, 0, n);
        }
        reads.finishRound();
    }

    /** The leader changed: the round in flight will not be answered. */
    void onLeaderChanged(long leader) {
        if (reads.roundInFlight()) {
            failRound(reads.answered(reads.inFlightContext()), ReplicaError.LEADER_CHANGED, leader);
        }
    }

    private void failRound(ReadBatches.Batch batch, ReplicaError error, long leader) {
        for (int i = 0; i < batch.size(); i++) {
            replies.failed(batch.tokens.getLong(i), error, Fate.NOT_APPLIED, leader);
        }
        reads.finishRound();
    }

    // ---------------------------------------------------------------- time and stopping

    /** Fails every request whose deadline passed. */
    void expire(long nowTick, long leader) {
        writes.expire(nowTick, w -> replies.failed(w.token, ReplicaError.TIMED_OUT, Fate.UNKNOWN, leader));
        ReadBatches.Batch stuck = reads.expiredRound(nowTick);
        if (stuck != null) {
            failRound(stuck, ReplicaError.TIMED_OUT, leader);
        }
    }

    /** The replica stops: every waiting request is answered with {@code error}. */
    void stop(ReplicaError error) {
        writes.drain(w -> replies.failed(w.token, error, Fate.UNKNOWN, 0));
        if (reads.roundInFlight()) {
            failRound(reads.answered(reads.inFlightContext()), error, 0);
        }
        ReadBatches.Batch waiting = reads.waiting();
        for (int i = 0; i < waiting.size(); i++) {
            replies.failed(waiting.tokens.getLong(i), error, Fate.NOT_APPLIED, 0);
        }
        waiting.clear();
    }
}
