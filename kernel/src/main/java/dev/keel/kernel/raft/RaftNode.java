package dev.keel.kernel.raft;

import dev.keel.kernel.util.InvariantViolation;
import dev.keel.kernel.util.SplitMix64;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One Raft member, as a deterministic state machine driven only by its inputs: {@link #tick()},
 * {@link #step}, {@link #propose}, {@link #proposeConfChange}, {@link #readIndex}, {@link #transferLeadership},
 * {@link #takeSnapshot}/{@link #compact}. Everything it wants done comes out of {@link #ready()} as a
 * {@link Ready} batch that the host persists, sends and applies before calling {@link #advance()} — see
 * {@link Ready} for the order, including the persistence-before-send rule, the leader's messages that may
 * leave before the local sync, and group commit.
 *
 * <p>Features: pre-vote, check-quorum, leader stickiness, pipelined replication with probe / replicate /
 * snapshot progress and an in-flight window, batching of proposals between ready batches, fast conflict
 * backtracking, ReadIndex and lease reads, leadership transfer, single-member configuration changes with
 * learners, snapshots sent in chunks.
 *
 * <p>Membership changes are made one member at a time and take effect when the change is applied (as in
 * etcd-raft): any two consecutive configurations then share a majority, so two leaders cannot be elected in one
 * term. Safety needs two extra rules, both enforced: a leader accepts no change until everything in its log at
 * election is applied (its no-op included — the fix for the single-server bug Ongaro described in 2015), and
 * at most one change is pending at a time. Joint consensus was not chosen because single changes cover every
 * operation etcd exposes (add, remove, add learner, promote) with less machinery to get wrong.
 *
 * <p>Not thread-safe: the host calls it from one thread only.
 */
public final class RaftNode {
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    final RaftConfig config;
    final long id;
    final RaftLog log;
    final ConfState conf = new ConfState();
    final ProgressTracker progress;
    final Outbox out = new Outbox();
    final MessageDecoder in = new MessageDecoder();
    final EntryView view = new EntryView();
    final ReadRequests reads;
    private final Ready ready;
    private final SplitMix64 random;
    final Replication replication;
    final FollowerReplication follower;
    final Election election;
    private final RoleSteps steps;
    final Membership membership;

    /** Always {@link Hazards#NONE} outside tests that inject bugs on purpose. */
    Hazards hazards = Hazards.NONE;

    long term;
    long vote;
    long leader;
    int role = Role.FOLLOWER;
    int electionElapsed;
    int heartbeatElapsed;
    int randomizedElectionTimeout;
    long leadTransferee;
    long pendingConfIndex;
    long tickCount;
    boolean snapshotPendingForHost;

    private long persistedTerm;
    private long persistedVote;
    private long persistedCommit;
    private long reportedLeader;
    private int reportedRole = Role.FOLLOWER;
    private boolean readyOutstanding;
    private long leaderSeenTerm = -1;
    private long leaderSeenId;

    /**
     * Creates a node from durable state: a storage holding the latest snapshot and the entries after it, and
     * the last persisted hard state. A brand-new member passes a fresh storage (with the initial configuration,
     * or an empty one when it will join an existing cluster) and zeros.
     */
    public RaftNode(RaftConfig config, LogStorage storage, long term, long vote, long commit) {
        this.config = config;
        this.id = config.id();
        this.log = new RaftLog(storage, commit);
        this.random = new SplitMix64(config.seed());
        this.progress = new ProgressTracker(config.maxInflightMessages());
        this.reads = new ReadRequests(config.maxPendingReads());
        this.ready = new Ready(this, storage, out, config.maxPendingReads());
        this.replication = new Replication(this);
        this.follower = new FollowerReplication(this);
        this.election = new Election(this);
        this.steps = new RoleSteps(this);
        this.membership = new Membership(this);
        this.term = term;
        this.vote = vote;
        this.persistedTerm = term;
        this.persistedVote = vote;
        this.persistedCommit = log.committed();
        membership.restore(storage.snapshotConf(), log.committed());
        becomeFollower(term, 0);
    }

    /**
     * Creates a founding member of a new cluster. The initial configuration is written into the log as
     * committed entries at term 1 — one per member, identical on every founding member — so that members added
     * later learn it by replication like any other change (as etcd-raft bootstraps). The first {@link Ready}
     * asks the host to persist those entries and the hard state {term 1, commit n}.
     *
     * @param storage an empty storage
     * @param members the founding voters and learners
     */
    public static RaftNode bootstrap(RaftConfig config, LogStorage storage, ConfState members) {
        return bootstrap(config, storage, members, id -> null);
    }

    /**
     * {@link #bootstrap(RaftConfig, LogStorage, ConfState)} with each founder's context in its entry (the host's
     * metadata, e.g. its peer URLs), so members that replay the log learn it as they learn later changes'.
     *
     * @param contexts a founder's context bytes by ID (null: none); must be the same on every founder
     */
    public static RaftNode bootstrap(RaftConfig config, LogStorage storage, ConfState members,
                                     java.util.function.LongFunction<byte[]> contexts) {
        if (storage.lastIndex() != 0 || storage.snapshotIndex() != 0) {
            throw new IllegalArgumentException("bootstrap needs an empty log");
        }
        ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(64);
        for (int i = 0; i < members.voterCount(); i++) {
            int length = encodeFounder(scratch, ConfChange.ADD_VOTER, members.voter(i), contexts);
            storage.append(1, EntryType.CONF_CHANGE, scratch, 0, length);
        }
        for (int i = 0; i < members.learnerCount(); i++) {
            int length = encodeFounder(scratch, ConfChange.ADD_LEARNER, members.learner(i), contexts);
            storage.append(1, EntryType.CONF_CHANGE, scratch, 0, length);
        }
        RaftNode node = new RaftNode(config, storage, 1, 0, storage.lastIndex());
        node.log.persistedReset();
        node.persistedTerm = 0;
        node.persistedCommit = 0;
        return node;
    }

    private static int encodeFounder(ExpandableArrayBuffer out, byte type, long id,
                                     java.util.function.LongFunction<byte[]> contexts) {
        byte[] context = contexts.apply(id);
        if (context == null) {
            return ConfChange.encode(out, 0, type, id, EMPTY, 0, 0);
        }
        return ConfChange.encode(out, 0, type, id, new UnsafeBuffer(context), 0, context.length);
    }

    /** @return a new member with an empty log, to be added to an existing cluster by a configuration change */
    public static RaftNode joining(RaftConfig config, LogStorage storage) {
        return new RaftNode(config, storage, 0, 0, 0);
    }

    // ---------------------------------------------------------------- inputs

    /** Advances logical time by one tick: election timeouts, heartbeats, check-quorum, transfer timeouts. */
    public void tick() {
        checkNoReadyOutstanding();
        tickCount++;
        if (role == Role.LEADER) {
            tickLeader();
        } else {
            tickElection();
        }
        checkInvariants();
    }

    /**
     * Feeds one encoded message from a peer.
     *
     * @return {@link DecodeStatus#OK} or why the bytes were refused (the node is unchanged then)
     */
    public int step(DirectBuffer buffer, int offset, int length) {
        checkNoReadyOutstanding();
        int status = in.wrap(buffer, offset, length);
        if (status != DecodeStatus.OK) {
            return status;
        }
        if (in.to() != id) {
            return DecodeStatus.WRONG_RECIPIENT;
        }
        steps.stepMessage();
        checkInvariants();
        return DecodeStatus.OK;
    }

    /**
     * Proposes application data. Proposals made between two ready batches go out to followers together.
     *
     * @return the log index the entry got (it is committed only if that index is later applied with this
     *         node's term), or a negative {@link RaftError}
     */
    public long propose(DirectBuffer data, int offset, int length) {
        checkNoReadyOutstanding();
        if (role != Role.LEADER) {
            return RaftError.NOT_LEADER;
        }
        if (leadTransferee != 0) {
            return RaftError.TRANSFER_IN_PROGRESS;
        }
        return log.append(term, EntryType.NORMAL, data, offset, length);
    }

    /**
     * Proposes adding, removing or promoting one member (a {@link ConfChange} type). The context is stored in
     * the entry for the host (e.g. the new member's address).
     *
     * @return the entry's log index, or a negative {@link RaftError}
     */
    public long proposeConfChange(byte type, long member, DirectBuffer context, int offset, int length) {
        checkNoReadyOutstanding();
        return membership.propose(type, member, context, offset, length);
    }

    /** {@link #proposeConfChange} without a context. */
    public long proposeConfChange(byte type, long member) {
        return proposeConfChange(type, member, EMPTY, 0, 0);
    }

    /**
     * Asks for a linearizable read. Its answer comes back in a later {@link Ready} as a read state with the
     * same context: {@link ReadState#OK} once the state machine has applied the read index, or
     * {@link ReadState#DROPPED} if leadership changed first.
     *
     * @param context the host's identifier for the request; unique among the requests in flight
     * @return {@link RaftError#OK}, or {@link RaftError#TOO_MANY_READS}
     */
    public int readIndex(long context) {
        checkNoReadyOutstanding();
        if (reads.isFull()) {
            return RaftError.TOO_MANY_READS;
        }
        if (hazards.readLocally) {
            reads.addConfirmed(context, log.committed(), ReadState.OK);
            return RaftError.OK;
        }
        if (role == Role.LEADER) {
            replication.handleRead(context, id);
        } else if (leader == 0) {
            reads.addConfirmed(context, 0, ReadState.DROPPED);
        } else {
            reads.addPending(context, id, 0, 0, ReadRequests.AWAITING_LEADER);
            send(MessageType.READ_INDEX, leader).context(context).end();
        }
        return RaftError.OK;
    }

    /**
     * Hands leadership to {@code target}: the leader catches it up, then tells it to campaign at once. Called on
     * a follower, the request is forwarded to the leader. A transfer not done within an election timeout is
     * abandoned; proposals are refused while one is in progress.
     *
     * @return {@link RaftError#OK} or why not
     */
    public int transferLeadership(long target) {
        checkNoReadyOutstanding();
        if (role != Role.LEADER) {
            if (leader == 0) {
                return RaftError.NO_LEADER;
            }
            send(MessageType.TRANSFER_LEADER, leader).hint(target).end();
            return RaftError.OK;
        }
        return replication.transferTo(target);
    }

    /** Starts an election now, as if the election timeout had passed (hosts use it to bootstrap faster). */
    public void campaign() {
        checkNoReadyOutstanding();
        if (role != Role.LEADER) {
            election.campaign(false);
        }
    }

    /**
     * Records a snapshot of the state machine as of the applied index, so the log before it can be compacted
     * and lagging followers can be sent it.
     *
     * @return {@link RaftError#OK} or {@link RaftError#SNAPSHOT_OUT_OF_DATE} if nothing was applied since the last
     */
    public int takeSnapshot(DirectBuffer data, int offset, int length) {
        checkNoReadyOutstanding();
        long index = log.applied();
        if (index <= log.storage.snapshotIndex()) {
            return RaftError.SNAPSHOT_OUT_OF_DATE;
        }
        log.storage.saveSnapshot(index, log.term(index), conf, data, offset, length);
        return RaftError.OK;
    }

    /**
     * Releases log entries up to {@code index}, which must not pass the latest snapshot.
     *
     * @return {@link RaftError#OK} or {@link RaftError#COMPACT_BEYOND_SNAPSHOT}
     */
    public int compact(long index) {
        checkNoReadyOutstanding();
        if (index > log.storage.snapshotIndex()) {
            return RaftError.COMPACT_BEYOND_SNAPSHOT;
        }
        log.storage.compact(index);
        return RaftError.OK;
    }

    // ---------------------------------------------------------------- outputs

    /** @return whether {@link #ready()} has anything for the host */
    public boolean hasReady() {
        if (readyOutstanding) {
            return false;
        }
        return out.count() > 0
                || (role == Role.LEADER && replication.hasPendingSends())
                || term != persistedTerm || vote != persistedVote || log.committed() != persistedCommit
                || snapshotPendingForHost
                || log.lastIndex() > log.persisted()
                || log.committed() > log.applied()
                || reads.hasReleasable(log.committed())
                || leader != reportedLeader || role != reportedRole;
    }

    /** @return the next batch; the host handles it (see {@link Ready}) and then calls {@link #advance()} */
    public Ready ready() {
        checkNoReadyOutstanding();
        if (role == Role.LEADER) {
            replication.flush();
        }
        Ready r = ready;
        r.reset();
        boolean entries = log.lastIndex() > log.persisted();
        // A leader's own new entries count toward the batch's commit (etcd's raft does): the commit is written
        // with them and applied after their sync, and moves in the node only in advance() (see Ready).
        long commit = role == Role.LEADER && entries ? replication.commitOnceSelfDurable() : log.committed();
        if (term != persistedTerm || vote != persistedVote || commit != persistedCommit) {
            r.hasHardState = true;
            r.term = term;
            r.vote = vote;
            r.commit = commit;
        }
        r.hasSnapshot = snapshotPendingForHost;
        if (entries) {
            r.persistFrom = log.persisted() + 1;
            r.persistTo = log.lastIndex();
        }
        r.applyFrom = (snapshotPendingForHost ? log.storage.snapshotIndex() : log.applied()) + 1;
        r.applyTo = commit;
        reads.drainReleasable(Math.max(r.applyTo, log.applied()), r);
        if (leader != reportedLeader || role != reportedRole) {
            r.softStateChanged = true;
            reportedLeader = leader;
            reportedRole = role;
        }
        r.leaderId = leader;
        r.role = role;
        r.durableTerm = persistedTerm;
        r.durableVote = persistedVote;
        readyOutstanding = true;
        return r;
    }

    /** Acknowledges the last {@link Ready}: its state is durable, its messages sent, its entries applied. */
    public void advance() {
        if (!readyOutstanding) {
            throw new IllegalStateException("advance() without an outstanding ready()");
        }
        Ready r = ready;
        if (r.hasHardState) {
            persistedTerm = r.term;
            persistedVote = r.vote;
            persistedCommit = r.commit;
        }
        if (r.hasSnapshot) {
            log.snapshotApplied(log.storage.snapshotIndex());
            snapshotPendingForHost = false;
        }
        if (r.hasEntries()) {
            log.persistedTo(r.persistTo);
        }
        out.clear();
        readyOutstanding = false;
        if (role == Role.LEADER) {
            replication.selfPersisted(); // first: commits what the batch applied on the strength of this sync
        }
        if (r.hasCommittedEntries()) {
            membership.applyCommitted(r.applyFrom, r.applyTo);
            log.appliedTo(r.applyTo);
        }
        checkInvariants();
    }

    // ---------------------------------------------------------------- queries

    public long id() {
        return id;
    }

    public long term() {
        return term;
    }

    /** @return the member voted for in the current term, 0 for none */
    public long vote() {
        return vote;
    }

    /** @return the leader this node knows of in its term, 0 for none */
    public long leaderId() {
        return leader;
    }

    /** @return a {@link Role} */
    public int role() {
        return role;
    }

    public long commitIndex() {
        return log.committed();
    }

    public long appliedIndex() {
        return log.applied();
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    /**
     * @return the last index whose entries the host acknowledged durable by {@link #advance()} — except that a
     *         snapshot received from the leader counts as soon as it is restored, before the host has written
     *         it (a full disk may keep it unwritten): what a crash must not lose is the host's account of its
     *         completed syncs, not this cursor while a batch is outstanding
     */
    public long persistedIndex() {
        return log.persisted();
    }

    /** @return the configuration in effect (read-only: do not modify) */
    public ConfState configuration() {
        return conf;
    }

    /** @return the log storage (read-only for the host while the node is live) */
    public LogStorage storage() {
        return log.storage;
    }

    /** @return the member's match index as the leader knows it, or -1 if not leader or not a member */
    public long progressMatch(long member) {
        int slot = progress.slotOf(member);
        return role == Role.LEADER && slot >= 0 ? progress.match[slot] : -1;
    }

    @Override
    public String toString() {
        return "node " + id + " " + Role.name(role) + " term=" + term + " lead=" + leader + " commit="
                + log.committed() + " applied=" + log.applied() + " last=" + log.lastIndex();
    }

    // ---------------------------------------------------------------- state transitions (package-private)

    boolean promotable() {
        return conf.isVoter(id) && !snapshotPendingForHost;
    }

    boolean inLease() {
        return config.leaderStickiness() && leader != 0 && electionElapsed < config.electionTicks();
    }

    void becomeFollower(long newTerm, long newLeader) {
        reset(newTerm);
        role = Role.FOLLOWER;
        if (newLeader != 0) {
            setLeader(newLeader);
        }
    }

    void becomePreCandidate() {
        reads.dropAll(this);
        role = Role.PRE_CANDIDATE;
        leader = 0;
        progress.resetVotes();
    }

    void becomeCandidate() {
        InvariantViolation.check(role != Role.LEADER, "a leader cannot become a candidate");
        reset(term + 1);
        vote = id;
        role = Role.CANDIDATE;
    }

    void becomeLeader() {
        InvariantViolation.check(role == Role.CANDIDATE, "only a candidate can become leader");
        reset(term);
        role = Role.LEADER;
        setLeader(id);
        replication.becomeLeader();
        pendingConfIndex = log.lastIndex();
        if (!hazards.commitEarlierTermByCount) {
            log.append(term, EntryType.NORMAL, EMPTY, 0, 0);
        }
    }

    void setLeader(long newLeader) {
        if (newLeader == leader) {
            return;
        }
        if (leaderSeenTerm == term) {
            InvariantViolation.check(leaderSeenId == newLeader, "two leaders in one term", leaderSeenId, newLeader);
        }
        leaderSeenTerm = term;
        leaderSeenId = newLeader;
        leader = newLeader;
    }

    /** Opens a message to {@code to} at the current term; the caller fills fields and calls {@code end()}. */
    Outbox send(byte type, long to) {
        return out.begin(type, id, to, term);
    }

    void sendReadIndexResponse(long to, long context, long index, boolean rejected) {
        send(MessageType.READ_INDEX_RESP, to).context(context).index(index)
                .flags(rejected ? MessageLayout.FLAG_REJECT : 0).end();
    }

    void resetRandomizedElectionTimeout() {
        randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
    }

    private void reset(long newTerm) {
        if (term != newTerm) {
            term = newTerm;
            vote = 0;
        }
        reads.dropAll(this);
        leader = 0;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        leadTransferee = 0;
        resetRandomizedElectionTimeout();
        progress.resetVotes();
    }

    private void tickElection() {
        electionElapsed++;
        if (promotable() && electionElapsed >= randomizedElectionTimeout) {
            electionElapsed = 0;
            election.campaign(false);
        }
    }

    private void tickLeader() {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= config.electionTicks()) {
            electionElapsed = 0;
            if (config.checkQuorum() && progress.activeVoters(id) < conf.quorum()) {
                becomeFollower(term, 0);
                return;
            }
            progress.clearActivity();
            leadTransferee = 0;
        }
        if (heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            replication.broadcastHeartbeat();
        }
        replication.tickSnapshots();
    }

    private void checkNoReadyOutstanding() {
        if (readyOutstanding) {
            throw new IllegalStateException("node " + id + ": call advance() before anything else after ready()");
        }
    }

    private void checkInvariants() {
        long last = log.lastIndex();
        long committed = log.committed();
        InvariantViolation.check(committed <= last, "commit beyond last index", committed, last);
        InvariantViolation.check(log.applied() <= committed, "applied beyond commit", log.applied(), committed);
        InvariantViolation.check(role != Role.LEADER || leader == id, "leader does not know itself as leader");
        if (role == Role.LEADER) {
            progress.checkInvariants(id, log.persisted());
        }
        reads.checkBound();
    }
}
