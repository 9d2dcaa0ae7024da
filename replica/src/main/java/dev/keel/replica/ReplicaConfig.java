package dev.keel.replica;

import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.raft.ConfState;
import dev.keel.kernel.raft.RaftConfig;

/**
 * How a replica runs; defaults are etcd 3.4's.
 *
 * @param raft                   the Raft member's configuration (ID, timeouts in ticks, read mode, ...)
 * @param mvcc                   the MVCC store's limits
 * @param initialMembers         the founding members when the disk is empty (etcd's
 *                               {@code --initial-cluster-state new}); empty to join an existing cluster
 * @param ticksPerSecond         how many ticks the host delivers per second (etcd: heartbeat 100 ms, so 10)
 * @param snapshotCount          applied entries between snapshots ({@code --snapshot-count}, 100,000)
 * @param snapshotCatchUpEntries entries kept in the log after a snapshot for slow followers (etcd: 5,000)
 * @param requestTimeoutTicks    how long a request may wait (etcd: 5 s + 2 × election timeout = 7 s)
 * @param autoCompaction         {@code --auto-compaction-mode} and {@code --auto-compaction-retention} (off)
 * @param leaseCheckpointTicks   how often the leader checkpoints remaining lease TTLs (etcd: 5 minutes)
 * @param walSegmentBytes        size past which a new WAL segment starts (etcd: 64 MiB)
 * @param maxQueuedInputBytes    inputs held while a sync is in flight, at most (beyond: messages dropped,
 *                               requests refused with "too many requests")
 * @param initialMetadata        the founders' metadata for the {@link MemberRegistry} (the host's bytes: their
 *                               peer URLs), written into their bootstrap entries; empty for none
 */
public record ReplicaConfig(RaftConfig raft, MvccConfig mvcc, ConfState initialMembers, long ticksPerSecond,
                            long snapshotCount, long snapshotCatchUpEntries, int requestTimeoutTicks,
                            AutoCompaction autoCompaction, long leaseCheckpointTicks, int walSegmentBytes,
                            int maxQueuedInputBytes, java.util.Map<Long, byte[]> initialMetadata) {
    public static final long DEFAULT_SNAPSHOT_COUNT = 100_000;
    public static final long DEFAULT_SNAPSHOT_CATCH_UP_ENTRIES = 5_000;
    public static final int DEFAULT_WAL_SEGMENT_BYTES = 64 * 1024 * 1024;

    public ReplicaConfig {
        if (ticksPerSecond < 1 || snapshotCount < 1 || snapshotCatchUpEntries < 0 || requestTimeoutTicks < 1
                || leaseCheckpointTicks < 1 || walSegmentBytes < 1024 || maxQueuedInputBytes < 1024) {
            throw new IllegalArgumentException("replica configuration out of range: " + this);
        }
        initialMetadata = java.util.Map.copyOf(initialMetadata);
    }

    /** A configuration without founders' metadata. */
    public ReplicaConfig(RaftConfig raft, MvccConfig mvcc, ConfState initialMembers, long ticksPerSecond,
                         long snapshotCount, long snapshotCatchUpEntries, int requestTimeoutTicks,
                         AutoCompaction autoCompaction, long leaseCheckpointTicks, int walSegmentBytes,
                         int maxQueuedInputBytes) {
        this(raft, mvcc, initialMembers, ticksPerSecond, snapshotCount, snapshotCatchUpEntries, requestTimeoutTicks,
                autoCompaction, leaseCheckpointTicks, walSegmentBytes, maxQueuedInputBytes, java.util.Map.of());
    }

    /** etcd's defaults for member {@code raft.id()}, founding a cluster of {@code initialMembers}. */
    public static ReplicaConfig defaults(RaftConfig raft, ConfState initialMembers) {
        long ticksPerSecond = 10;
        int timeout = (int) (5 * ticksPerSecond + 2L * raft.electionTicks());
        return new ReplicaConfig(raft, new MvccConfig().ticksPerSecond(ticksPerSecond), initialMembers,
                ticksPerSecond, DEFAULT_SNAPSHOT_COUNT, DEFAULT_SNAPSHOT_CATCH_UP_ENTRIES, timeout,
                AutoCompaction.off(), 300 * ticksPerSecond, DEFAULT_WAL_SEGMENT_BYTES, 64 * 1024 * 1024);
    }

    public ReplicaConfig withMvcc(MvccConfig m) {
        return new ReplicaConfig(raft, m, initialMembers, ticksPerSecond, snapshotCount, snapshotCatchUpEntries,
                requestTimeoutTicks, autoCompaction, leaseCheckpointTicks, walSegmentBytes, maxQueuedInputBytes, initialMetadata);
    }

    public ReplicaConfig withSnapshots(long count, long catchUpEntries) {
        return new ReplicaConfig(raft, mvcc, initialMembers, ticksPerSecond, count, catchUpEntries,
                requestTimeoutTicks, autoCompaction, leaseCheckpointTicks, walSegmentBytes, maxQueuedInputBytes, initialMetadata);
    }

    public ReplicaConfig withRequestTimeoutTicks(int ticks) {
        return new ReplicaConfig(raft, mvcc, initialMembers, ticksPerSecond, snapshotCount, snapshotCatchUpEntries,
                ticks, autoCompaction, leaseCheckpointTicks, walSegmentBytes, maxQueuedInputBytes, initialMetadata);
    }

    public ReplicaConfig withAutoCompaction(AutoCompaction a) {
        return new ReplicaConfig(raft, mvcc, initialMembers, ticksPerSecond, snapshotCount, snapshotCatchUpEntries,
                requestTimeoutTicks, a, leaseCheckpointTicks, walSegmentBytes, maxQueuedInputBytes, initialMetadata);
    }

    public ReplicaConfig withWalSegmentBytes(int bytes) {
        return new ReplicaConfig(raft, mvcc, initialMembers, ticksPerSecond, snapshotCount, snapshotCatchUpEntries,
                requestTimeoutTicks, autoCompaction, leaseCheckpointTicks, bytes, maxQueuedInputBytes, initialMetadata);
    }

    public ReplicaConfig withLeaseCheckpointTicks(long ticks) {
        return new ReplicaConfig(raft, mvcc, initialMembers, ticksPerSecond, snapshotCount, snapshotCatchUpEntries,
                requestTimeoutTicks, autoCompaction, ticks, walSegmentBytes, maxQueuedInputBytes, initialMetadata);
    }

    public ReplicaConfig withInitialMetadata(java.util.Map<Long, byte[]> metadata) {
        return new ReplicaConfig(raft, mvcc, initialMembers, ticksPerSecond, snapshotCount, snapshotCatchUpEntries,
                requestTimeoutTicks, autoCompaction, leaseCheckpointTicks, walSegmentBytes, maxQueuedInputBytes,
                metadata);
    }
}
