package dev.keel.replica;

import dev.keel.kernel.mvcc.MvccStateMachine;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.kernel.raft.RaftNode;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.LongArrayList;

/**
 * What only the leader decides from time, proposed through the log so every replica applies the same thing
 * at the same index: revoking expired leases (at etcd's rate), checkpointing remaining lease TTLs, and
 * auto-compaction.
 */
final class LeaderDuties {
    private final ClientRequests requests;
    private final AutoCompactor compactor;
    private final long checkpointTicks;
    private final long self;
    private final LongArrayList expired = new LongArrayList();
    private final ExpandableArrayBuffer request = new ExpandableArrayBuffer(256);
    private long ticksLeading;

    LeaderDuties(long self, ClientRequests requests, ReplicaConfig config) {
        this.self = self;
        this.requests = requests;
        this.compactor = new AutoCompactor(config.autoCompaction(), config.ticksPerSecond());
        this.checkpointTicks = config.leaseCheckpointTicks();
    }

    /** This member started leading. */
    void startedLeading() {
        compactor.reset();
        ticksLeading = 0;
    }

    /** One tick as leader: propose what time made due. */
    void onTick(RaftNode raft, MvccStateMachine mvcc) {
        ticksLeading++;
        long target = compactor.onTick(mvcc.revision(), mvcc.compactRevision());
        if (target > 0) {
            proposeOwn(raft, SmallRequests.encodeCompact(request, 0, target, 0));
        }
        expired.clear();
        int n = mvcc.expiredLeases(expired);
        for (int i = 0; i < n; i++) {
            proposeOwn(raft, SmallRequests.encodeLeaseRevoke(request, 0, expired.getLong(i)));
        }
        if (ticksLeading % checkpointTicks == 0) {
            int length = mvcc.leaseCheckpoint(request);
            if (length > 0) {
                proposeOwn(raft, length);
            }
        }
    }

    private void proposeOwn(RaftNode raft, int length) {
        requests.propose(raft, self, 0, request, 0, length); // refused while transferring: due again later
    }
}
