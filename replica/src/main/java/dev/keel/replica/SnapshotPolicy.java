package dev.keel.replica;

import dev.keel.kernel.mvcc.MvccStateMachine;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.raft.LogStorage;
import dev.keel.kernel.raft.RaftNode;
import dev.keel.kernel.util.SizedBuffers;
import org.agrona.ExpandableArrayBuffer;

/**
 * When and how a replica snapshots itself (etcd's {@code --snapshot-count}): after so many applied entries it
 * snapshots the store, records the snapshot in the kernel, writes the snapshot file (releasing the WAL segments
 * it covers) and compacts the kernel's log, keeping {@code snapshotCatchUpEntries} for slow followers.
 */
final class SnapshotPolicy {
    private final long self;
    private final ReplicaConfig config;
    private final ReadyWriter writer;
    private final ReplicaObserver observer;
    /**
     * Sized from the payload's exact length before each snapshot (growth while writing would copy it), and
     * dropped once the kernel copied it.
     */
    private ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(4096);
    private final ExpandableArrayBuffer hash = new ExpandableArrayBuffer(64);
    private long appliedSince;

    SnapshotPolicy(long self, ReplicaConfig config, ReadyWriter writer, ReplicaObserver observer) {
        this.self = self;
        this.config = config;
        this.writer = writer;
        this.observer = observer;
    }

    void entryApplied() {
        appliedSince++;
    }

    /** A snapshot from the leader replaced the state: the count starts over. */
    void snapshotInstalled() {
        appliedSince = 0;
    }

    /** After a batch was applied and advanced: snapshots if enough entries were applied since the last one. */
    void maybeSnapshot(RaftNode raft, MvccStateMachine mvcc, MemberRegistry members) {
        if (appliedSince < config.snapshotCount()) {
            return;
        }
        appliedSince = 0;
        long needed = SnapshotPayload.length(members, mvcc, scratch);
        if (!SizedBuffers.fits(scratch, needed)) {
            scratch = null; // the old bytes are garbage before the new buffer is allocated
            scratch = SizedBuffers.allocate(needed);
        }
        int length = SnapshotPayload.encode(members, mvcc, scratch);
        int taken = raft.takeSnapshot(scratch, 0, length);
        scratch = SizedBuffers.shrink(scratch); // the kernel's log holds its own copy now
        if (taken != 0) {
            return;
        }
        LogStorage log = raft.storage();
        if (observer.wantsStoreHashes()) {
            observer.onSnapshot(self, raft.appliedIndex(), hashKv(mvcc));
        }
        writer.writeLocalSnapshot(log); // a full disk keeps the older file and WAL: recovery stays correct
        raft.compact(Math.max(log.baseIndex(), log.snapshotIndex() - config.snapshotCatchUpEntries()));
    }

    private long hashKv(MvccStateMachine mvcc) {
        int n = mvcc.hashKv(0, hash);
        return n > ResponseLayout.HEADER_LENGTH ? hash.getLong(ResponseLayout.HEADER_LENGTH) : 0;
    }
}
