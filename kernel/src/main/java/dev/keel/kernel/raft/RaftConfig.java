package dev.keel.kernel.raft;

/**
 * A node's Raft settings. Times are in ticks: the host decides how long a tick is (the node uses its
 * heartbeat interval; the simulator its virtual clock).
 *
 * @param id                       this node's member ID (positive)
 * @param electionTicks            election timeout; a follower campaigns after a random wait in
 *                                 {@code [electionTicks, 2 × electionTicks)} without hearing from a leader
 * @param heartbeatTicks           leader heartbeat interval; must be below {@code electionTicks}
 * @param preVote                  ask for pre-votes before raising the term (a partitioned node cannot disrupt)
 * @param checkQuorum              a leader that has not heard from a quorum within an election timeout steps down
 * @param leaderStickiness         a follower that heard from a leader within the election timeout ignores votes
 * @param readMode                 {@link ReadMode#SAFE} or {@link ReadMode#LEASE_BASED}
 * @param leaseDriftTicks          lease shortening D that absorbs tick-rate drift between nodes (lease reads
 *                                 only). With election timeout E and tick rates that differ from nominal by at
 *                                 most a fraction d, leases are safe when (E − D)(1 + d) < (E − 1)(1 − d): the
 *                                 "− 1" is a follower's tick phase. E = 10, D = 3 tolerates d = 10 %.
 * @param maxMessageBytes          soft limit on entry bytes per append message (at least one entry is sent)
 * @param maxInflightMessages      appends in flight per follower before the leader waits for acknowledgements
 * @param snapshotChunkBytes       snapshot bytes per InstallSnapshot chunk
 * @param maxPendingReads          read requests queued per node; more are refused
 * @param learnerCatchUpEntries    a learner may be promoted only when it lags the leader by at most this many
 *                                 (and holds 90% of the leader's log at least, as etcd asks)
 * @param seed                     seeds the election-timeout PRNG; give every node its own
 */
public record RaftConfig(long id, int electionTicks, int heartbeatTicks, boolean preVote, boolean checkQuorum,
                         boolean leaderStickiness, int readMode, int leaseDriftTicks, int maxMessageBytes,
                         int maxInflightMessages, int snapshotChunkBytes, int maxPendingReads,
                         long learnerCatchUpEntries, long seed) {

    /** Validates the settings. */
    public RaftConfig {
        require(id > 0, "id must be positive");
        require(heartbeatTicks > 0, "heartbeatTicks must be positive");
        require(electionTicks > heartbeatTicks, "electionTicks must exceed heartbeatTicks");
        require(readMode == ReadMode.SAFE || readMode == ReadMode.LEASE_BASED, "unknown read mode");
        require(readMode != ReadMode.LEASE_BASED || (checkQuorum && leaderStickiness),
                "lease-based reads need checkQuorum and leaderStickiness");
        require(leaseDriftTicks >= 0 && leaseDriftTicks < electionTicks, "leaseDriftTicks out of range");
        require(maxMessageBytes > 0, "maxMessageBytes must be positive");
        require(maxInflightMessages > 0, "maxInflightMessages must be positive");
        require(snapshotChunkBytes > 0, "snapshotChunkBytes must be positive");
        require(maxPendingReads > 0, "maxPendingReads must be positive");
        require(learnerCatchUpEntries >= 0, "learnerCatchUpEntries must not be negative");
    }

    /** @return etcd-like defaults: election 10 ticks, heartbeat 1, pre-vote, check-quorum, ReadIndex reads */
    public static RaftConfig defaults(long id, long seed) {
        return new RaftConfig(id, 10, 1, true, true, true, ReadMode.SAFE, 3, 1024 * 1024, 256, 512 * 1024,
                4096, 1000, seed);
    }

    public RaftConfig withTimeouts(int election, int heartbeat) {
        return new RaftConfig(id, election, heartbeat, preVote, checkQuorum, leaderStickiness, readMode,
                Math.min(leaseDriftTicks, election - 1), maxMessageBytes, maxInflightMessages, snapshotChunkBytes,
                maxPendingReads, learnerCatchUpEntries, seed);
    }

    public RaftConfig withPreVote(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, on, checkQuorum, leaderStickiness, readMode,
                leaseDriftTicks, maxMessageBytes, maxInflightMessages, snapshotChunkBytes, maxPendingReads,
                learnerCatchUpEntries, seed);
    }

    public RaftConfig withCheckQuorum(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, preVote, on, leaderStickiness,
                on ? readMode : ReadMode.SAFE, leaseDriftTicks, maxMessageBytes, maxInflightMessages,
                snapshotChunkBytes, maxPendingReads, learnerCatchUpEntries, seed);
    }

    public RaftConfig withLeaderStickiness(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, preVote, checkQuorum, on,
                on ? readMode : ReadMode.SAFE, leaseDriftTicks, maxMessageBytes, maxInflightMessages,
                snapshotChunkBytes, maxPendingReads, learnerCatchUpEntries, seed);
    }

    public RaftConfig withReadMode(int mode) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, preVote, checkQuorum, leaderStickiness, mode,
                leaseDriftTicks, maxMessageBytes, maxInflightMessages, snapshotChunkBytes, maxPendingReads,
                learnerCatchUpEntries, seed);
    }

    public RaftConfig withFlowControl(int maxBytes, int maxInflight) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, preVote, checkQuorum, leaderStickiness, readMode,
                leaseDriftTicks, maxBytes, maxInflight, snapshotChunkBytes, maxPendingReads, learnerCatchUpEntries,
                seed);
    }

    public RaftConfig withLearnerCatchUpEntries(long entries) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, preVote, checkQuorum, leaderStickiness, readMode,
                leaseDriftTicks, maxMessageBytes, maxInflightMessages, snapshotChunkBytes, maxPendingReads, entries,
                seed);
    }

    public RaftConfig withSnapshotChunkBytes(int bytes) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, preVote, checkQuorum, leaderStickiness, readMode,
                leaseDriftTicks, maxMessageBytes, maxInflightMessages, bytes, maxPendingReads,
                learnerCatchUpEntries, seed);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }
}
