package dev.keel.kernel.raft;

/**
 * Deliberate protocol bugs, for proving that the simulator catches them. Every flag is false in every node
 * unless a test sets it through {@code dev.keel.kernel.raft.BugInjector}, which lives only in the kernel's test
 * jar; this class and the node's field holding it are package-private, so production code cannot reach them.
 */
final class Hazards {
    /** Grant votes without checking that the candidate's log is at least as up to date (breaks §5.4.1). */
    boolean voteWithoutLogCheck;
    /**
     * Commit an earlier term's entry by counting its replicas (the Figure 8 bug, breaks §5.4.2). A new leader's
     * no-op normally reaches a quorum together with the earlier entries and hides the bug from all but rare
     * schedules, so the hazard also skips the no-op — the bug as it bites implementations without one.
     */
    boolean commitEarlierTermByCount;
    /** Answer ReadIndex at once, without the heartbeat round that proves leadership (stale reads). */
    boolean readIndexWithoutRound;
    /**
     * Answer every linearizable read from this node's own commit index, leader or not, asking no one: a follower
     * that lags or is cut off serves what it has (the bug of serving "linearizable" reads locally).
     */
    boolean readLocally;

    static final Hazards NONE = new Hazards();
}
