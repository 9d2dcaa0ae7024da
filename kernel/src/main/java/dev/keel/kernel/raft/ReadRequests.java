package dev.keel.kernel.raft;

import dev.keel.kernel.util.InvariantViolation;

/**
 * Linearizable read requests in flight on one node, in arrival order.
 *
 * <p>On a leader a request waits until the leader has committed an entry of its own term (before that its
 * commit index may be stale), then until a heartbeat round started after it was received is acknowledged by a
 * quorum; its read index is the commit index at arrival. On a follower a request waits for the leader's
 * answer. Either way a confirmed request is released to the host only once the node has applied its index.
 * Bounded: a full queue refuses new requests rather than grow.
 */
final class ReadRequests {
    static final byte DEFERRED = 0;
    static final byte AWAITING_QUORUM = 1;
    static final byte AWAITING_LEADER = 2;

    private final int capacity;
    private final long[] pendingContext;
    private final long[] pendingOrigin;
    private final long[] pendingIndex;
    private final long[] pendingSeq;
    private final byte[] pendingStage;
    private int pendingCount;

    private final long[] confirmedContext;
    private final long[] confirmedIndex;
    private final byte[] confirmedStatus;
    private int confirmedCount;

    ReadRequests(int capacity) {
        this.capacity = capacity;
        pendingContext = new long[capacity];
        pendingOrigin = new long[capacity];
        pendingIndex = new long[capacity];
        pendingSeq = new long[capacity];
        pendingStage = new byte[capacity];
        confirmedContext = new long[capacity];
        confirmedIndex = new long[capacity];
        confirmedStatus = new byte[capacity];
    }

    boolean isFull() {
        return pendingCount + confirmedCount >= capacity;
    }

    void addPending(long context, long origin, long index, long seq, byte stage) {
        InvariantViolation.check(pendingCount + confirmedCount < capacity,
                "read queue full: callers check isFull() first (queued, capacity)", pendingCount + confirmedCount,
                capacity);
        pendingContext[pendingCount] = context;
        pendingOrigin[pendingCount] = origin;
        pendingIndex[pendingCount] = index;
        pendingSeq[pendingCount] = seq;
        pendingStage[pendingCount] = stage;
        pendingCount++;
    }

    void addConfirmed(long context, long index, byte status) {
        // A pending request may be moved here before its own slot is released, so only this array's bound holds
        // at this point; checkBound() checks the whole queue once the move is done.
        InvariantViolation.check(confirmedCount < capacity, "confirmed reads over the queue bound (count, capacity)",
                confirmedCount, capacity);
        confirmedContext[confirmedCount] = context;
        confirmedIndex[confirmedCount] = index;
        confirmedStatus[confirmedCount] = status;
        confirmedCount++;
    }

    boolean hasDeferred() {
        for (int i = 0; i < pendingCount; i++) {
            if (pendingStage[i] == DEFERRED) {
                return true;
            }
        }
        return false;
    }

    /** Starts round {@code seq} for requests that waited for the leader's first commit in its term. */
    void startRoundForDeferred(long index, long seq) {
        for (int i = 0; i < pendingCount; i++) {
            if (pendingStage[i] == DEFERRED) {
                pendingStage[i] = AWAITING_QUORUM;
                pendingIndex[i] = index;
                pendingSeq[i] = seq;
            }
        }
    }

    /**
     * Releases every request whose round a quorum has acknowledged: local ones become confirmed, remote ones
     * are answered through {@code node}.
     */
    void releaseAcknowledged(RaftNode node, ProgressTracker tracker, int quorum) {
        int kept = 0;
        for (int i = 0; i < pendingCount; i++) {
            boolean done = pendingStage[i] == AWAITING_QUORUM
                    && tracker.readAcks(node.id(), pendingSeq[i]) >= quorum;
            if (done) {
                confirm(node, i, pendingIndex[i], ReadState.OK);
            } else {
                moveTo(i, kept++);
            }
        }
        pendingCount = kept;
    }

    /** Confirms the request a follower forwarded under {@code context}; unknown contexts are duplicates. */
    void confirmForwarded(long context, long index, boolean rejected) {
        for (int i = 0; i < pendingCount; i++) {
            if (pendingStage[i] == AWAITING_LEADER && pendingContext[i] == context) {
                addConfirmed(context, index, rejected ? ReadState.DROPPED : ReadState.OK);
                for (int j = i + 1; j < pendingCount; j++) {
                    moveTo(j, j - 1);
                }
                pendingCount--;
                return;
            }
        }
    }

    /** Drops every pending request (leadership changed); remote requesters are told so through {@code node}. */
    void dropAll(RaftNode node) {
        for (int i = 0; i < pendingCount; i++) {
            confirm(node, i, 0, ReadState.DROPPED);
        }
        pendingCount = 0;
    }

    /** @return whether {@link #drainReleasable} would release anything */
    boolean hasReleasable(long appliedTo) {
        for (int i = 0; i < confirmedCount; i++) {
            if (confirmedStatus[i] != ReadState.OK || confirmedIndex[i] <= appliedTo) {
                return true;
            }
        }
        return false;
    }

    /** Moves confirmed requests whose index is applied (and dropped ones) into {@code ready}. */
    void drainReleasable(long appliedTo, Ready ready) {
        int kept = 0;
        for (int i = 0; i < confirmedCount; i++) {
            if (confirmedStatus[i] != ReadState.OK || confirmedIndex[i] <= appliedTo) {
                ready.addReadState(confirmedContext[i], confirmedIndex[i], confirmedStatus[i]);
            } else {
                confirmedContext[kept] = confirmedContext[i];
                confirmedIndex[kept] = confirmedIndex[i];
                confirmedStatus[kept] = confirmedStatus[i];
                kept++;
            }
        }
        confirmedCount = kept;
    }

    /** Checks the queue bound: pending and confirmed requests together never exceed the capacity. */
    void checkBound() {
        InvariantViolation.check(pendingCount + confirmedCount <= capacity,
                "read queue over its bound (pending + confirmed, capacity)", pendingCount + confirmedCount, capacity);
    }

    int pendingCount() {
        return pendingCount;
    }

    private void confirm(RaftNode node, int i, long index, byte status) {
        if (pendingOrigin[i] == node.id()) {
            addConfirmed(pendingContext[i], index, status);
        } else {
            node.sendReadIndexResponse(pendingOrigin[i], pendingContext[i], index, status != ReadState.OK);
        }
    }

    private void moveTo(int from, int to) {
        if (from != to) {
            pendingContext[to] = pendingContext[from];
            pendingOrigin[to] = pendingOrigin[from];
            pendingIndex[to] = pendingIndex[from];
            pendingSeq[to] = pendingSeq[from];
            pendingStage[to] = pendingStage[from];
        }
    }
}
