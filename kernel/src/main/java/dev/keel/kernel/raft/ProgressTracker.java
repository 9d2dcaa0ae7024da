package dev.keel.kernel.raft;

import dev.keel.kernel.util.InvariantViolation;

import java.util.Arrays;

/**
 * What a leader knows about each member's log (match, next, replication state, in-flight appends), plus the
 * per-member bookkeeping elections and reads need (votes, activity, read acknowledgements). One slot per member
 * of the current configuration, this node included; arrays are rebuilt only when the configuration changes.
 */
final class ProgressTracker {
    /** Probing for the match point: one append at a time, paused until it is answered. */
    static final byte PROBE = 0;
    /** Streaming appends optimistically, up to the in-flight window. */
    static final byte REPLICATE = 1;
    /** Sending a snapshot; appends wait until the follower has installed it. */
    static final byte SNAPSHOT = 2;

    static final byte VOTE_NONE = 0;
    static final byte VOTE_GRANTED = 1;
    static final byte VOTE_REJECTED = 2;

    private final int maxInflight;
    int size;
    long[] ids = new long[0];
    boolean[] voter = new boolean[0];
    long[] match = new long[0];
    long[] next = new long[0];
    byte[] state = new byte[0];
    boolean[] probeSent = new boolean[0];
    boolean[] recentActive = new boolean[0];
    long[] sentCommit = new long[0];
    long[] pendingSnapshot = new long[0];
    long[] snapshotAcked = new long[0];
    /** End of the chunk sent last: only its acknowledgement moves the transfer on. */
    long[] snapshotSentEnd = new long[0];
    /** Acknowledged offset when the last timeout resent a chunk; no progress since means start over. */
    long[] snapshotResentAt = new long[0];
    int[] snapshotIdle = new int[0];
    byte[] votes = new byte[0];
    long[] readAckSeq = new long[0];
    long[] leaseAckTick = new long[0];
    private long[][] inflight = new long[0][];
    private int[] inflightHead = new int[0];
    private int[] inflightCount = new int[0];
    private long[] scratch = new long[ConfState.MAX_MEMBERS];

    ProgressTracker(int maxInflight) {
        this.maxInflight = maxInflight;
    }

    /** Rebuilds the slots for a new configuration, keeping what is known about members that stay. */
    void reconfigure(ConfState conf, long lastIndex) {
        int n = conf.voterCount() + conf.learnerCount();
        ProgressTracker old = copyOfSlots();
        allocate(n);
        for (int i = 0; i < n; i++) {
            long id = i < conf.voterCount() ? conf.voter(i) : conf.learner(i - conf.voterCount());
            ids[i] = id;
            voter[i] = i < conf.voterCount();
            int was = old.slotOf(id);
            if (was >= 0) {
                old.copySlotTo(was, this, i);
            } else {
                resetSlot(i, lastIndex);
            }
        }
    }

    /** Forgets replication state, as a new leader must: every member is probed from {@code lastIndex + 1}. */
    void resetAll(long lastIndex) {
        for (int i = 0; i < size; i++) {
            resetSlot(i, lastIndex);
        }
    }

    /** @return the slot of a member, or -1 */
    int slotOf(long id) {
        for (int i = 0; i < size; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    void becomeProbe(int s) {
        if (state[s] == SNAPSHOT) {
            next[s] = Math.max(match[s] + 1, pendingSnapshot[s] + 1);
            pendingSnapshot[s] = 0;
        } else {
            next[s] = match[s] + 1;
        }
        state[s] = PROBE;
        probeSent[s] = false;
        clearInflight(s);
    }

    void becomeReplicate(int s) {
        state[s] = REPLICATE;
        next[s] = match[s] + 1;
        probeSent[s] = false;
        pendingSnapshot[s] = 0;
        clearInflight(s);
    }

    void becomeSnapshot(int s, long snapshotIndex) {
        state[s] = SNAPSHOT;
        pendingSnapshot[s] = snapshotIndex;
        snapshotAcked[s] = 0;
        snapshotSentEnd[s] = -1;
        snapshotResentAt[s] = -1;
        snapshotIdle[s] = 0;
        clearInflight(s);
    }

    /**
     * Records a successful append acknowledgement.
     *
     * @return true if it told the leader something new
     */
    boolean maybeUpdate(int s, long index) {
        boolean updated = false;
        if (match[s] < index) {
            match[s] = index;
            updated = true;
            probeSent[s] = false;
        }
        next[s] = Math.max(next[s], index + 1);
        return updated;
    }

    /**
     * Handles a rejected append: moves {@code next} back, using the follower's hint to skip a whole
     * conflicting term at once.
     *
     * @return false if the rejection is stale and was ignored
     */
    boolean maybeDecreaseTo(int s, long rejected, long matchHint) {
        if (state[s] == REPLICATE) {
            if (rejected <= match[s]) {
                return false;
            }
            next[s] = match[s] + 1;
            return true;
        }
        if (next[s] - 1 != rejected) {
            return false;
        }
        next[s] = Math.max(Math.min(rejected, matchHint + 1), match[s] + 1);
        probeSent[s] = false;
        return true;
    }

    /** @return whether the leader must wait before sending this member more appends */
    boolean isPaused(int s) {
        switch (state[s]) {
            case PROBE: return probeSent[s];
            case REPLICATE: return inflightCount[s] >= maxInflight;
            default: return true;
        }
    }

    void addInflight(int s, long lastIndex) {
        long[] ring = inflight[s];
        ring[(inflightHead[s] + inflightCount[s]) % ring.length] = lastIndex;
        inflightCount[s]++;
    }

    /** Frees in-flight appends acknowledged by an acknowledgement of {@code index}. */
    void freeInflightUpTo(int s, long index) {
        long[] ring = inflight[s];
        while (inflightCount[s] > 0 && ring[inflightHead[s]] <= index) {
            inflightHead[s] = (inflightHead[s] + 1) % ring.length;
            inflightCount[s]--;
        }
    }

    /** Frees one slot so a heartbeat response can unblock a full window whose acknowledgements were lost. */
    void freeFirstInflight(int s) {
        if (inflightCount[s] > 0) {
            inflightHead[s] = (inflightHead[s] + 1) % inflight[s].length;
            inflightCount[s]--;
        }
    }

    int inflightCount(int s) {
        return inflightCount[s];
    }

    /** @return the highest index a quorum of voters has in its log */
    long quorumMatch(ConfState conf) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (voter[i]) {
                scratch[n++] = match[i];
            }
        }
        if (n == 0) {
            return 0;
        }
        Arrays.sort(scratch, 0, n);
        return scratch[n - conf.quorum()];
    }

    /** @return the newest tick that a quorum of voters acknowledged (self counts as {@code now}) */
    long quorumLeaseTick(ConfState conf, long selfId, long now) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (voter[i]) {
                scratch[n++] = ids[i] == selfId ? now : leaseAckTick[i];
            }
        }
        Arrays.sort(scratch, 0, n);
        return n == 0 ? Long.MIN_VALUE : scratch[n - conf.quorum()];
    }

    /** @return the number of voters whose read acknowledgement covers round {@code seq} (self always does) */
    int readAcks(long selfId, long seq) {
        int acks = 0;
        for (int i = 0; i < size; i++) {
            if (voter[i] && (ids[i] == selfId || readAckSeq[i] >= seq)) {
                acks++;
            }
        }
        return acks;
    }

    void resetVotes() {
        Arrays.fill(votes, 0, size, VOTE_NONE);
    }

    /** @return +1 won (granted by a quorum), -1 lost (rejected by a quorum), 0 pending */
    int tally(ConfState conf) {
        int granted = 0;
        int rejected = 0;
        for (int i = 0; i < size; i++) {
            if (voter[i]) {
                granted += votes[i] == VOTE_GRANTED ? 1 : 0;
                rejected += votes[i] == VOTE_REJECTED ? 1 : 0;
            }
        }
        int quorum = conf.quorum();
        return granted >= quorum ? 1 : rejected >= quorum ? -1 : 0;
    }

    /** @return the number of voters heard from since the last check (self counts) */
    int activeVoters(long selfId) {
        int active = 0;
        for (int i = 0; i < size; i++) {
            if (voter[i] && (recentActive[i] || ids[i] == selfId)) {
                active++;
            }
        }
        return active;
    }

    void clearActivity() {
        Arrays.fill(recentActive, 0, size, false);
    }

    /**
     * Checks, for every member, that {@code match < next} (the leader never plans to resend what it knows the
     * member holds, nor skip past what it does not), and that the leader's own match is at most its durable
     * index: a leader counts itself toward a commit quorum only for entries the host has made durable.
     */
    void checkInvariants(long selfId, long selfPersisted) {
        for (int i = 0; i < size; i++) {
            InvariantViolation.check(match[i] < next[i], "progress: match must stay below next (member, match, next)",
                    ids[i], match[i], next[i]);
            if (ids[i] == selfId) {
                InvariantViolation.check(match[i] <= selfPersisted,
                        "progress: the leader counts only its durable log (own match, durable index)", match[i],
                        selfPersisted);
            }
        }
    }

    private void resetSlot(int i, long lastIndex) {
        match[i] = 0;
        next[i] = lastIndex + 1;
        state[i] = PROBE;
        probeSent[i] = false;
        recentActive[i] = false;
        sentCommit[i] = 0;
        pendingSnapshot[i] = 0;
        snapshotAcked[i] = 0;
        snapshotSentEnd[i] = -1;
        snapshotResentAt[i] = -1;
        snapshotIdle[i] = 0;
        votes[i] = VOTE_NONE;
        readAckSeq[i] = 0;
        leaseAckTick[i] = Long.MIN_VALUE;
        clearInflight(i);
    }

    private void clearInflight(int s) {
        inflightHead[s] = 0;
        inflightCount[s] = 0;
    }

    private void allocate(int n) {
        size = n;
        ids = new long[n];
        voter = new boolean[n];
        match = new long[n];
        next = new long[n];
        state = new byte[n];
        probeSent = new boolean[n];
        recentActive = new boolean[n];
        sentCommit = new long[n];
        pendingSnapshot = new long[n];
        snapshotAcked = new long[n];
        snapshotSentEnd = new long[n];
        snapshotResentAt = new long[n];
        snapshotIdle = new int[n];
        votes = new byte[n];
        readAckSeq = new long[n];
        leaseAckTick = new long[n];
        inflight = new long[n][maxInflight];
        inflightHead = new int[n];
        inflightCount = new int[n];
    }

    private ProgressTracker copyOfSlots() {
        ProgressTracker copy = new ProgressTracker(maxInflight);
        copy.size = size;
        copy.ids = ids;
        copy.voter = voter;
        copy.match = match;
        copy.next = next;
        copy.state = state;
        copy.probeSent = probeSent;
        copy.recentActive = recentActive;
        copy.sentCommit = sentCommit;
        copy.pendingSnapshot = pendingSnapshot;
        copy.snapshotAcked = snapshotAcked;
        copy.snapshotSentEnd = snapshotSentEnd;
        copy.snapshotResentAt = snapshotResentAt;
        copy.snapshotIdle = snapshotIdle;
        copy.votes = votes;
        copy.readAckSeq = readAckSeq;
        copy.leaseAckTick = leaseAckTick;
        copy.inflight = inflight;
        copy.inflightHead = inflightHead;
        copy.inflightCount = inflightCount;
        return copy;
    }

    private void copySlotTo(int from, ProgressTracker to, int slot) {
        to.match[slot] = match[from];
        to.next[slot] = next[from];
        to.state[slot] = state[from];
        to.probeSent[slot] = probeSent[from];
        to.recentActive[slot] = recentActive[from];
        to.sentCommit[slot] = sentCommit[from];
        to.pendingSnapshot[slot] = pendingSnapshot[from];
        to.snapshotAcked[slot] = snapshotAcked[from];
        to.snapshotSentEnd[slot] = snapshotSentEnd[from];
        to.snapshotResentAt[slot] = snapshotResentAt[from];
        to.snapshotIdle[slot] = snapshotIdle[from];
        to.votes[slot] = votes[from];
        to.readAckSeq[slot] = readAckSeq[from];
        to.leaseAckTick[slot] = leaseAckTick[from];
        System.arraycopy(inflight[from], 0, to.inflight[slot], 0, maxInflight);
        to.inflightHead[slot] = inflightHead[from];
        to.inflightCount[slot] = inflightCount[from];
    }
}
