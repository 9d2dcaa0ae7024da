package dev.keel.kernel.raft;

/**
 * The leader's side of InstallSnapshot: sends the latest snapshot to a follower whose next entry was
 * compacted, one chunk of {@link RaftConfig#snapshotChunkBytes()} at a time, each acknowledged before the next
 * goes; only the acknowledgement of the chunk sent last moves the transfer on, so duplicated messages cannot
 * start parallel transfers. A lost chunk or acknowledgement is resent after an election timeout of silence;
 * if a newer snapshot replaces the one being sent, sending restarts with it.
 */
final class SnapshotSender {
    private final RaftNode node;
    private final ProgressTracker pr;

    SnapshotSender(RaftNode node) {
        this.node = node;
        this.pr = node.progress;
    }

    void start(int s) {
        LogStorage storage = node.log.storage;
        if (storage.snapshotIndex() == 0) {
            throw new dev.keel.kernel.util.InvariantViolation("entries compacted without a snapshot");
        }
        pr.becomeSnapshot(s, storage.snapshotIndex());
        sendChunk(s);
    }

    void onResponse() {
        MessageDecoder in = node.in;
        int s = pr.slotOf(in.from());
        if (s < 0) {
            return;
        }
        pr.recentActive[s] = true;
        if (pr.state[s] != ProgressTracker.SNAPSHOT || in.index() != pr.pendingSnapshot[s]) {
            return;
        }
        if (in.reject()) {
            pr.becomeProbe(s);
            return;
        }
        long total = node.log.storage.snapshotLength();
        if (in.hint() != pr.snapshotSentEnd[s] || in.hint() > total) {
            // A duplicate or stale acknowledgement: answering it too would run a second transfer alongside the
            // first, and duplicates would multiply them. Lost chunks are covered by the idle timeout.
            return;
        }
        pr.snapshotAcked[s] = in.hint();
        pr.snapshotIdle[s] = 0;
        if (pr.snapshotAcked[s] < total) {
            sendChunk(s);
        }
    }

    /**
     * After an election timeout without progress the current chunk goes again; if that did not help either
     * (the follower lost what it had received, e.g. it restarted), the transfer starts over from byte 0.
     */
    void onTick(int s) {
        if (++pr.snapshotIdle[s] < node.config.electionTicks()) {
            return;
        }
        if (pr.snapshotResentAt[s] == pr.snapshotAcked[s]) {
            pr.snapshotAcked[s] = 0;
        }
        pr.snapshotResentAt[s] = pr.snapshotAcked[s];
        sendChunk(s);
    }

    private void sendChunk(int s) {
        LogStorage storage = node.log.storage;
        if (pr.pendingSnapshot[s] != storage.snapshotIndex()) {
            pr.becomeSnapshot(s, storage.snapshotIndex());
        }
        int total = storage.snapshotLength();
        int offset = (int) pr.snapshotAcked[s];
        int chunk = Math.min(node.config.snapshotChunkBytes(), total - offset);
        boolean last = offset + chunk == total;
        node.send(MessageType.SNAP, pr.ids[s]).index(storage.snapshotIndex()).logTerm(storage.snapshotTerm())
                .context(total).hint(offset).flags(last ? MessageLayout.FLAG_LAST_CHUNK : 0)
                .appendChunk(storage.snapshotConf(), storage.snapshotData(), offset, chunk).end();
        pr.snapshotSentEnd[s] = offset + chunk;
        pr.snapshotIdle[s] = 0;
    }
}
