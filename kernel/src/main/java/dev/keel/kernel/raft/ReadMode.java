package dev.keel.kernel.raft;

/** How a leader confirms that it may serve a linearizable read. */
public final class ReadMode {
    private ReadMode() {
    }

    /** ReadIndex: a heartbeat round acknowledged by a quorum proves leadership before the read is released. */
    public static final int SAFE = 0;
    /**
     * Leader lease: within a lease derived from the last quorum-acknowledged heartbeat, the leader answers at
     * once. Requires check-quorum (so a deposed leader steps down) and leader stickiness (so followers refuse
     * to elect another leader while they still hear from this one), and assumes tick rates drift no more than
     * {@link RaftConfig#leaseDriftTicks()} allows (see there). A host must deliver ticks that fell due while its
     * process was stalled before any input that arrived after them, or the lease outlives real time.
     */
    public static final int LEASE_BASED = 1;
}
