package dev.keel.node.metrics;

/**
 * The replica's numbers as the kernel thread last published them. The kernel thread is the only writer: it
 * calls {@link #publish} once per duty cycle and the event methods as things happen, storing into volatile
 * fields (no lock, no allocation); a scrape on another thread reads whatever was published last.
 */
public final class KernelGauges {
    private volatile long committedIndex;
    private volatile long appliedIndex;
    private volatile long pending;
    private volatile long leader;
    private volatile boolean isLeader;
    private volatile boolean isLearner;
    private volatile long dbBytes;
    private volatile long keys;
    private volatile long revision;
    private volatile long compactRevision;
    private volatile long watchers;
    private volatile boolean alarmed;
    private volatile long leaderChanges;
    private volatile long proposalsFailed;

    /**
     * The kernel thread's per-duty-cycle publication.
     *
     * @param committed the Raft commit index
     * @param applied   the Raft index applied to the store
     * @param unapplied entries in the log not applied yet (proposals in flight)
     * @param leaderId  the leader this member knows, 0 if none
     * @param noSpace   whether the NOSPACE alarm is raised
     */
    public void publish(long committed, long applied, long unapplied, long leaderId, boolean leading,
                        boolean learner, long db, long keyCount, long rev, long compacted, long watcherCount,
                        boolean noSpace) {
        committedIndex = committed;
        appliedIndex = applied;
        pending = unapplied;
        leader = leaderId;
        isLeader = leading;
        isLearner = learner;
        dbBytes = db;
        keys = keyCount;
        revision = rev;
        compactRevision = compacted;
        watchers = watcherCount;
        alarmed = noSpace;
    }

    /** The kernel thread saw the leader change to a known member. */
    @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer: the kernel thread
    public void leaderChanged() {
        leaderChanges = leaderChanges + 1;
    }

    /** The replica failed a client's proposal (timed out, dropped, lost its leader, stopped). */
    @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer: the kernel thread
    public void proposalFailed() {
        proposalsFailed = proposalsFailed + 1;
    }

    long committedIndex() {
        return committedIndex;
    }

    long appliedIndex() {
        return appliedIndex;
    }

    long pending() {
        return pending;
    }

    long leader() {
        return leader;
    }

    boolean isLeader() {
        return isLeader;
    }

    boolean isLearner() {
        return isLearner;
    }

    long dbBytes() {
        return dbBytes;
    }

    long keys() {
        return keys;
    }

    long revision() {
        return revision;
    }

    long compactRevision() {
        return compactRevision;
    }

    long watchers() {
        return watchers;
    }

    long leaderChanges() {
        return leaderChanges;
    }

    long proposalsFailed() {
        return proposalsFailed;
    }

    /** @return whether an alarm (NOSPACE) is raised (for {@code /health}) */
    public boolean alarmed() {
        return alarmed;
    }

    /** @return whether this member knows a leader (for {@code /health}) */
    public boolean hasLeader() {
        return leader != 0;
    }
}
