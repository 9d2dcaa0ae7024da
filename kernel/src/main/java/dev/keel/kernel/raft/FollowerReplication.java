package dev.keel.kernel.raft;

import dev.keel.kernel.util.InvariantViolation;
import org.agrona.ExpandableArrayBuffer;

/**
 * A follower's side of replication: appends (log matching, conflict truncation, fast-backtracking hints),
 * heartbeats (commit index, read rounds, lease echoes) and InstallSnapshot chunks (reassembled, then installed).
 */
final class FollowerReplication {
    private final RaftNode node;
    private final ExpandableArrayBuffer snapshotBuffer = new ExpandableArrayBuffer(1024);
    private long receivingIndex;
    private long receivingTerm;
    private int received;

    FollowerReplication(RaftNode node) {
        this.node = node;
    }

    void onAppend() {
        MessageDecoder in = node.in;
        RaftLog log = node.log;
        InvariantViolation.check(node.role != Role.LEADER, "a leader must never take entries from another");
        if (in.index() < log.committed()) {
            respondAppended(log.committed());
            return;
        }
        if (log.matchTerm(in.index(), in.logTerm())) {
            long lastNew = log.appendFromLeader(in, node.view);
            log.commitTo(Math.min(in.commit(), lastNew));
            respondAppended(lastNew);
            return;
        }
        // Hint: the last index at or before the rejected one whose term is at most the leader's prevLogTerm,
        // so the leader can skip a whole conflicting term in one round trip.
        long hintIndex = log.findConflictByTerm(Math.min(in.index(), log.lastIndex()), in.logTerm());
        long hintTerm = log.term(hintIndex);
        node.send(MessageType.APP_RESP, in.from()).index(in.index()).hint(hintIndex)
                .logTerm(Math.max(hintTerm, 0)).flags(MessageLayout.FLAG_REJECT).end();
    }

    void onHeartbeat() {
        MessageDecoder in = node.in;
        node.log.commitTo(Math.min(in.commit(), node.log.lastIndex()));
        node.send(MessageType.HEARTBEAT_RESP, in.from()).context(in.context()).hint(in.hint()).end();
    }

    void onSnapshotChunk() {
        MessageDecoder in = node.in;
        RaftLog log = node.log;
        long index = in.index();
        long term = in.logTerm();
        if (index <= log.committed()) {
            received = 0;
            respondAppended(log.committed());
            return;
        }
        long offset = in.hint();
        if (offset == 0) {
            receivingIndex = index;
            receivingTerm = term;
            received = 0;
        } else if (index != receivingIndex || term != receivingTerm || offset != received) {
            boolean same = index == receivingIndex && term == receivingTerm;
            respondSnapshot(index, same ? received : 0);
            return;
        }
        snapshotBuffer.putBytes(received, in.buffer(), in.snapshotChunkOffset(), in.count());
        received += in.count();
        if ((in.flags() & MessageLayout.FLAG_LAST_CHUNK) == 0) {
            respondSnapshot(index, received);
            return;
        }
        install(index, term);
    }

    private void install(long index, long term) {
        RaftLog log = node.log;
        if (log.matchTerm(index, term)) {
            // The log already holds the snapshot's last entry: committing up to it is enough.
            log.commitTo(index);
        } else {
            log.restore(index, term, node.in.snapshotConf(), snapshotBuffer, 0, received);
            node.membership.installed(node.in.snapshotConf());
            node.snapshotPendingForHost = true;
        }
        received = 0;
        respondAppended(Math.max(log.committed(), index));
    }

    private void respondAppended(long index) {
        node.send(MessageType.APP_RESP, node.in.from()).index(index).end();
    }

    private void respondSnapshot(long index, long bytes) {
        node.send(MessageType.SNAP_RESP, node.in.from()).index(index).hint(bytes).end();
    }
}
