package dev.keel.kernel.raft;

/**
 * The leader's side of log replication: appends (pipelined in replicate state, one at a time in probe state,
 * batched up to {@link RaftConfig#maxMessageBytes()}), heartbeats, advancing the commit index, ReadIndex rounds
 * and leases, and leadership transfer. Appends are sent when the host asks for a {@link Ready}, so every
 * proposal made since the last batch travels in one message per follower.
 */
final class Replication {
    private final RaftNode node;
    private final ProgressTracker pr;
    final SnapshotSender snapshots;
    private long readSeq;
    private boolean readRoundPending;

    Replication(RaftNode node) {
        this.node = node;
        this.pr = node.progress;
        this.snapshots = new SnapshotSender(node);
    }

    void becomeLeader() {
        long last = node.log.lastIndex();
        pr.resetAll(last);
        int self = pr.slotOf(node.id);
        if (self >= 0) {
            pr.match[self] = node.log.persisted();
            pr.becomeReplicate(self);
            pr.next[self] = last + 1;
        }
        readRoundPending = false;
    }

    /** The host made more of the leader's own log durable: the leader counts itself only now. */
    void selfPersisted() {
        int self = pr.slotOf(node.id);
        if (self >= 0) {
            pr.match[self] = node.log.persisted();
            pr.next[self] = node.log.lastIndex() + 1;
        }
        maybeCommit();
    }

    /**
     * @return the commit index a quorum reaches once this leader's whole log is durable here: its own match
     *         taken as the last index, the followers' as acknowledged. The node hands it out with the batch that
     *         carries those entries (applied only after that batch's sync) but moves its commit index only in
     *         {@code advance()}, so no message carries it before the leader's own copy is durable.
     */
    long commitOnceSelfDurable() {
        RaftLog log = node.log;
        int self = pr.slotOf(node.id);
        if (self < 0) {
            return log.committed();
        }
        long match = pr.match[self];
        pr.match[self] = log.lastIndex();
        long candidate = pr.quorumMatch(node.conf);
        pr.match[self] = match;
        boolean ownTerm = log.term(candidate) == node.term || node.hazards.commitEarlierTermByCount;
        return candidate > log.committed() && ownTerm ? candidate : log.committed();
    }

    /** @return whether {@link #flush()} would send anything */
    boolean hasPendingSends() {
        if (readRoundPending) {
            return true;
        }
        long last = node.log.lastIndex();
        long commit = node.log.committed();
        for (int s = 0; s < pr.size; s++) {
            if (pr.ids[s] != node.id && !pr.isPaused(s) && (pr.next[s] <= last || pr.sentCommit[s] < commit)) {
                return true;
            }
        }
        return false;
    }

    /** Sends what each follower can take now: new entries, or the new commit index. */
    void flush() {
        if (readRoundPending) {
            readRoundPending = false;
            broadcastHeartbeat();
        }
        long last = node.log.lastIndex();
        for (int s = 0; s < pr.size; s++) {
            if (pr.ids[s] == node.id) {
                continue;
            }
            while (!pr.isPaused(s) && pr.next[s] <= last) {
                if (!sendAppend(s, false)) {
                    break;
                }
            }
            if (!pr.isPaused(s) && pr.sentCommit[s] < node.log.committed()) {
                sendAppend(s, true);
            }
        }
    }

    /**
     * Sends one append to the member in slot {@code s}, or starts a snapshot if the entries it needs are
     * compacted.
     *
     * @return whether a message was sent
     */
    boolean sendAppend(int s, boolean allowEmpty) {
        RaftLog log = node.log;
        long prevIndex = pr.next[s] - 1;
        long prevTerm = log.term(prevIndex);
        if (prevTerm == LogStorage.TERM_UNAVAILABLE) {
            snapshots.start(s);
            return true;
        }
        long last = log.lastIndex();
        if (prevIndex >= last && !allowEmpty) {
            return false;
        }
        Outbox out = node.send(MessageType.APP, pr.ids[s]).logTerm(prevTerm).index(prevIndex)
                .commit(log.committed());
        long index = prevIndex;
        long bytes = 0;
        int max = node.config.maxMessageBytes();
        while (index < last) {
            EntryView entry = log.entry(index + 1);
            if (index > prevIndex && bytes + entry.length() > max) {
                break;
            }
            out.appendEntry(entry);
            bytes += entry.length();
            index++;
        }
        out.end();
        pr.sentCommit[s] = log.committed();
        if (pr.state[s] == ProgressTracker.REPLICATE) {
            if (index > prevIndex) {
                pr.next[s] = index + 1;
                pr.addInflight(s, index);
            }
        } else {
            pr.probeSent[s] = true;
        }
        return true;
    }

    void onAppendResponse() {
        MessageDecoder in = node.in;
        int s = pr.slotOf(in.from());
        if (s < 0) {
            return;
        }
        pr.recentActive[s] = true;
        if (in.reject()) {
            long nextProbe = in.hint();
            if (in.logTerm() > 0) {
                nextProbe = node.log.findConflictByTerm(in.hint(), in.logTerm());
            }
            if (pr.maybeDecreaseTo(s, in.index(), nextProbe)) {
                if (pr.state[s] == ProgressTracker.REPLICATE) {
                    pr.becomeProbe(s);
                }
                sendAppend(s, true);
            }
            return;
        }
        long index = in.index();
        boolean updated = pr.maybeUpdate(s, index);
        if (!updated && !(pr.match[s] == index && pr.state[s] == ProgressTracker.PROBE)) {
            return;
        }
        switch (pr.state[s]) {
            case ProgressTracker.PROBE:
                pr.becomeReplicate(s);
                break;
            case ProgressTracker.SNAPSHOT:
                if (pr.match[s] + 1 >= node.log.firstIndex()) {
                    pr.becomeProbe(s);
                    pr.becomeReplicate(s);
                }
                break;
            default:
                pr.freeInflightUpTo(s, index);
                break;
        }
        maybeCommit();
        if (in.from() == node.leadTransferee && pr.match[s] == node.log.lastIndex()) {
            node.send(MessageType.TIMEOUT_NOW, in.from()).end();
        }
    }

    void onHeartbeatResponse() {
        MessageDecoder in = node.in;
        int s = pr.slotOf(in.from());
        if (s < 0) {
            return;
        }
        pr.recentActive[s] = true;
        pr.probeSent[s] = false;
        if (pr.state[s] == ProgressTracker.REPLICATE && pr.inflightCount(s) >= node.config.maxInflightMessages()) {
            pr.freeFirstInflight(s);
        }
        if (pr.match[s] < node.log.lastIndex() && !pr.isPaused(s)) {
            // The follower lacks entries the leader believes sent (lost appends leave a replicate-state
            // follower waiting forever otherwise): an append, empty if need be, makes it reject and probe.
            sendAppend(s, true);
        }
        pr.leaseAckTick[s] = Math.max(pr.leaseAckTick[s], in.hint());
        if (in.context() > pr.readAckSeq[s]) {
            pr.readAckSeq[s] = in.context();
            node.reads.releaseAcknowledged(node, pr, node.conf.quorum());
        }
    }

    /** Heartbeats carry the commit index (capped at what the follower is known to hold), the current read
     * round and the send tick, which the follower echoes for lease accounting. */
    void broadcastHeartbeat() {
        for (int s = 0; s < pr.size; s++) {
            if (pr.ids[s] != node.id) {
                node.send(MessageType.HEARTBEAT, pr.ids[s]).commit(Math.min(pr.match[s], node.log.committed()))
                        .context(readSeq).hint(node.tickCount).end();
            }
        }
    }

    void tickSnapshots() {
        for (int s = 0; s < pr.size; s++) {
            if (pr.state[s] == ProgressTracker.SNAPSHOT) {
                snapshots.onTick(s);
            }
        }
    }

    /**
     * Commits the highest index a quorum holds — but only if it is from the current term (Raft §5.4.2: counting
     * replicas of an older term's entry is unsafe, Figure 8). Older entries commit with it.
     *
     * @return whether the commit index advanced
     */
    boolean maybeCommit() {
        long candidate = pr.quorumMatch(node.conf);
        RaftLog log = node.log;
        boolean ownTerm = log.term(candidate) == node.term || node.hazards.commitEarlierTermByCount;
        if (candidate <= log.committed() || !ownTerm) {
            return false;
        }
        log.commitTo(candidate);
        if (node.reads.hasDeferred()) {
            readSeq++;
            node.reads.startRoundForDeferred(log.committed(), readSeq);
            readRoundPending = true;
            node.reads.releaseAcknowledged(node, pr, node.conf.quorum());
        }
        return true;
    }

    /** Handles a read request from this node ({@code origin == id}) or a follower. */
    void handleRead(long context, long origin) {
        RaftLog log = node.log;
        if (log.term(log.committed()) != node.term) {
            node.reads.addPending(context, origin, 0, 0, ReadRequests.DEFERRED);
            return;
        }
        boolean alone = node.conf.voterCount() == 1 && node.conf.isVoter(node.id);
        boolean lease = node.config.readMode() == ReadMode.LEASE_BASED && leaseValid();
        if (alone || lease || node.hazards.readIndexWithoutRound) {
            if (origin == node.id) {
                node.reads.addConfirmed(context, log.committed(), ReadState.OK);
            } else {
                node.sendReadIndexResponse(origin, context, log.committed(), false);
            }
            return;
        }
        if (!readRoundPending) {
            readSeq++;
            readRoundPending = true;
        }
        node.reads.addPending(context, origin, log.committed(), readSeq, ReadRequests.AWAITING_QUORUM);
    }

    /**
     * The lease runs for an election timeout (less the drift allowance) from the send tick of the newest
     * heartbeat a quorum has answered: none of those followers will vote for anyone else before their own
     * election timeout passes after receiving it. A transfer voids the lease (the target campaigns at once).
     */
    boolean leaseValid() {
        if (node.leadTransferee != 0) {
            return false;
        }
        long start = pr.quorumLeaseTick(node.conf, node.id, node.tickCount);
        return node.tickCount < start + node.config.electionTicks() - node.config.leaseDriftTicks();
    }

    int transferTo(long target) {
        if (target == node.id) {
            node.leadTransferee = 0;
            return RaftError.OK;
        }
        int s = pr.slotOf(target);
        if (s < 0 || !pr.voter[s]) {
            return RaftError.BAD_TRANSFER_TARGET;
        }
        if (node.leadTransferee == target) {
            return RaftError.OK;
        }
        node.leadTransferee = target;
        node.electionElapsed = 0;
        if (pr.match[s] == node.log.lastIndex()) {
            node.send(MessageType.TIMEOUT_NOW, target).end();
        } else if (!pr.isPaused(s)) {
            sendAppend(s, true);
        }
        return RaftError.OK;
    }
}
