package dev.keel.simulator;

import dev.keel.kernel.raft.ConfState;
import dev.keel.kernel.raft.EntryType;
import dev.keel.kernel.raft.EntryView;
import dev.keel.kernel.raft.LogStorage;
import dev.keel.kernel.raft.RaftNode;
import dev.keel.kernel.util.SplitMix64;
import dev.keel.replica.ReplicaError;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The cluster's operator, for the {@code membership} and {@code transfer} faults: it reads the membership as
 * etcd's {@code member list} would (the current leader's configuration) and sends admin requests through the
 * replica's API — mostly to the leader, sometimes to any member, following the leader hint of a refusal once.
 *
 * <p>Its rules keep the liveness phase able to commit: at least three voters at all times (so, with at most
 * one member lost for good to corruption when membership changes run, a majority of every configuration can
 * be up); spares ({@code nodes + 1}, {@code nodes + 2}) are added at most once each and removed members never
 * return (IDs are not reused: a member removed and re-added under its old ID with a wiped disk could vote twice
 * in a term). Each change is judged against the configuration it will apply to: a new one is issued only when
 * every earlier one is settled — answered for certain, or, when its fate is unknown, once the current leader
 * has applied an entry of its own term and holds no unapplied change (an unknown change is then either in effect
 * or can never commit). A removal the operator sees committed stops the removed process for good (a removed
 * member that never learnt of it would otherwise disrupt elections without pre-vote).
 */
final class MembershipOperator {
    private static final long SWEEP_MICROS = 500_000;
    private final Simulation sim;
    private final SplitMix64 random;
    /** Membership changes not settled yet. */
    private final List<AdminRequest> unsettled = new ArrayList<>();
    /** When the operator last asked for anything (-infinity: never). */
    private long lastIssuedAt = -10_000_000;
    private final TreeSet<Long> removalIssued = new TreeSet<>();
    private final EntryView view = new EntryView();
    int changesApplied;
    /** Changes done, by {@link AdminRequest.Kind} ordinal; removals of the leader counted apart (last slot). */
    final int[] doneByKind = new int[AdminRequest.Kind.values().length + 1];
    int transfersDone;
    int refused;
    int stopped;

    MembershipOperator(Simulation sim, SplitMix64 random) {
        this.sim = sim;
        this.random = random;
    }

    void start() {
        if (sim.plan.on(FaultKind.MEMBERSHIP)) {
            sim.schedule(sim.now() + SWEEP_MICROS, this::sweep);
        }
    }

    // ---------------------------------------------------------------- the faults

    /** Adds a learner or a voter, promotes a learner, removes a learner, a voter or the leader. */
    void changeMembership() {
        SimNode leader = leader();
        if (leader == null || !settleUnknowns(leader)) {
            return;
        }
        ConfState conf = leader.replica.raft().configuration();
        List<long[]> options = new ArrayList<>(); // {kind ordinal, member}
        for (long spare = sim.founders() + 1; spare <= sim.founders() + SimConfig.SPARES; spare++) {
            if (!conf.isMember(spare) && !removalIssued.contains(spare)) {
                options.add(new long[]{AdminRequest.Kind.ADD_LEARNER.ordinal(), spare});
                options.add(new long[]{AdminRequest.Kind.ADD_VOTER.ordinal(), spare});
            }
        }
        for (int i = 0; i < conf.learnerCount(); i++) {
            options.add(new long[]{AdminRequest.Kind.PROMOTE.ordinal(), conf.learner(i)});
            options.add(new long[]{AdminRequest.Kind.REMOVE.ordinal(), conf.learner(i)});
        }
        long voter = conf.voter(random.nextInt(conf.voterCount()));
        if (removable(conf, leader.id)) {
            options.add(new long[]{AdminRequest.Kind.REMOVE.ordinal(), leader.id});
        }
        if (removable(conf, voter)) {
            options.add(new long[]{AdminRequest.Kind.REMOVE.ordinal(), voter});
        }
        if (options.isEmpty() || random.nextInt(8) == 0) {
            // A request the kernel must refuse (promote a voter, add a member again), for the error paths.
            options.clear();
            options.add(new long[]{random.nextInt(2) == 0 ? AdminRequest.Kind.PROMOTE.ordinal()
                    : AdminRequest.Kind.ADD_LEARNER.ordinal(), conf.voter(random.nextInt(conf.voterCount()))});
        }
        long[] pick = options.get(random.nextInt(options.size()));
        issue(AdminRequest.Kind.values()[(int) pick[0]], pick[1], target(leader), true);
    }

    /** Hands leadership to a random voter (sometimes to a non-voter, which must be refused). */
    void transfer() {
        SimNode leader = leader();
        if (leader == null) {
            return;
        }
        ConfState conf = leader.replica.raft().configuration();
        long to = random.nextInt(10) == 0 ? sim.founders() + 1 + random.nextInt(SimConfig.SPARES)
                : conf.voter(random.nextInt(conf.voterCount()));
        issue(AdminRequest.Kind.TRANSFER, to, target(leader), true);
    }

    private long target(SimNode leader) {
        return random.nextInt(5) == 0 ? sim.randomNodeId(random) : leader.id;
    }

    /**
     * @return the virtual time after which nothing the operator asked for can still move leadership: a transfer
     *         is answered or abandoned within the request timeout (7 s), and the kernel's within an election
     *         timeout after that
     */
    long quietAfter() {
        return lastIssuedAt + 10_000_000;
    }

    /** @return whether a membership change may still take effect */
    boolean changing() {
        return !unsettled.isEmpty();
    }

    private void issue(AdminRequest.Kind kind, long member, long target, boolean mayRetry) {
        lastIssuedAt = sim.now();
        AdminRequest r = new AdminRequest(sim.nextRequestId(), kind, member, target, mayRetry);
        if (kind != AdminRequest.Kind.TRANSFER) {
            unsettled.add(r);
        }
        if ((kind == AdminRequest.Kind.ADD_LEARNER || kind == AdminRequest.Kind.ADD_VOTER) && member > sim.founders()) {
            sim.startSpare(member); // as etcd's docs say: add the member, then start it with the cluster "existing"
        }
        if (kind == AdminRequest.Kind.REMOVE) {
            removalIssued.add(member);
        }
        sim.event("admin: " + r);
        SimNode node = sim.node(target);
        sim.schedule(sim.now() + sim.network.latency(), () -> node.submit(r));
    }

    /**
     * A member answered {@code r}: {@code members} the configuration after a change (null: failed with
     * {@code error}, whose fate is {@code unknown} or certainly not applied).
     */
    void answered(AdminRequest r, String members, ReplicaError error, boolean unknown, long leaderHint) {
        if (r.state != AdminRequest.State.PENDING) {
            return;
        }
        if (members != null) {
            r.state = AdminRequest.State.DONE;
            if (r.kind == AdminRequest.Kind.TRANSFER) {
                transfersDone++;
            } else {
                changesApplied++;
            }
            doneByKind[r.kind == AdminRequest.Kind.REMOVE && r.member == r.target ? doneByKind.length - 1
                    : r.kind.ordinal()]++;
            sim.event("admin: " + r + " done, leader " + leaderHint + ", " + members);
        } else if (unknown) {
            r.state = AdminRequest.State.UNKNOWN;
            sim.event("admin: " + r + " fate unknown: " + error.message());
        } else {
            r.state = AdminRequest.State.DONE;
            refused++;
            sim.event("admin: " + r + " refused: " + error.message());
        }
        unsettled.removeIf(u -> u.state == AdminRequest.State.DONE);
        if (error == ReplicaError.NOT_LEADER && leaderHint != 0 && r.mayRetry && sim.inFaultPhase()) {
            retry(r, leaderHint);
        }
    }

    /** A refusal named the leader: ask it, if the change is still one the rules allow. */
    private void retry(AdminRequest r, long leaderHint) {
        SimNode leader = leader();
        if (r.kind == AdminRequest.Kind.TRANSFER) {
            issue(r.kind, r.member, leaderHint, false);
            return;
        }
        if (leader == null || !settleUnknowns(leader)) {
            return;
        }
        ConfState conf = leader.replica.raft().configuration();
        boolean allowed = switch (r.kind) {
            case REMOVE -> conf.isLearner(r.member) || removable(conf, r.member);
            case ADD_LEARNER, ADD_VOTER -> r.member > sim.founders() ? !removalIssued.contains(r.member) : true;
            default -> true;
        };
        if (allowed) {
            issue(r.kind, r.member, leaderHint, false);
        }
    }

    private boolean everyoneElseApplied(long removedId) {
        for (SimNode node : sim.present()) {
            if (node.up && node.id != removedId && node.replica.raft().configuration().isMember(removedId)) {
                return false;
            }
        }
        return true;
    }

    /** @return what the operator did, for the run's summary (empty if nothing) */
    String summary() {
        if (changesApplied + transfersDone + refused == 0) {
            return "";
        }
        return ", " + changesApplied + " membership changes and " + transfersDone + " transfers done, " + refused
                + " admin requests refused, " + stopped + " removed processes stopped by the operator";
    }

    // ---------------------------------------------------------------- what the operator can tell

    /**
     * @return whether voter {@code id} may be removed: three voters stay, and the voters left that are not lost
     *         for good are a majority of the configuration <em>before</em> the removal — the one they elect with
     *         until they learn the removal committed (a removed leader steps down before telling them), as
     *         etcd's strict reconfiguration check demands enough started members
     */
    private boolean removable(ConfState conf, long id) {
        if (!conf.isVoter(id) || conf.voterCount() <= 3) {
            return false;
        }
        int live = 0;
        for (int i = 0; i < conf.voterCount(); i++) {
            long v = conf.voter(i);
            if (v != id && !sim.node(v).lostForGood()) {
                live++;
            }
        }
        return live >= conf.quorum();
    }

    /**
     * @return whether member {@code id} may be lost for good (to corruption): no change is unsettled, every
     *         running member has the leader's configuration, and the rest of its voters remain a majority
     */
    boolean mayLoseForGood(long id) {
        SimNode leader = leader();
        if (leader == null || !unsettled.isEmpty() || !settled(leader.replica.raft())) {
            return false;
        }
        ConfState conf = leader.replica.raft().configuration();
        int live = 0;
        for (SimNode node : sim.present()) {
            if (node.up && !node.replica.raft().configuration().equals(conf)) {
                return false;
            }
            if (conf.isVoter(node.id) && node.id != id && !node.lostForGood()) {
                live++;
            }
        }
        return live >= conf.quorum();
    }

    private SimNode leader() {
        long id = sim.currentLeader();
        return id == 0 ? null : sim.node(id);
    }

    /** @return whether no earlier change can still take effect (unknown ones are settled if the leader allows) */
    private boolean settleUnknowns(SimNode leader) {
        for (AdminRequest r : unsettled) {
            if (r.state == AdminRequest.State.PENDING) {
                return false;
            }
        }
        if (unsettled.isEmpty()) {
            return true;
        }
        if (!settled(leader.replica.raft())) {
            return false;
        }
        unsettled.forEach(r -> r.state = AdminRequest.State.DONE);
        unsettled.clear();
        return true;
    }

    /**
     * @return whether the leader applied an entry of its own term (so its configuration holds every change
     *         committed before it) and holds no change it has not applied
     */
    private boolean settled(RaftNode raft) {
        LogStorage log = raft.storage();
        long applied = raft.appliedIndex();
        if (log.term(applied) != raft.term()) {
            return false;
        }
        for (long i = applied + 1; i <= log.lastIndex(); i++) {
            log.entry(i, view);
            if (view.type() == EntryType.CONF_CHANGE) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stops the processes of members whose removal the leader applied and every running member knows (for
     * good: IDs are not reused).
     */
    private void sweep() {
        SimNode leader = leader();
        if (leader != null && settled(leader.replica.raft())) {
            ConfState conf = leader.replica.raft().configuration();
            for (long id : removalIssued) {
                SimNode node = sim.node(id);
                if (!node.removed && !conf.isMember(id) && everyoneElseApplied(id)) {
                    node.stopForGood();
                    stopped++;
                    sim.event("operator: node " + id + " was removed: its process is stopped for good");
                }
            }
        }
        sim.schedule(sim.now() + SWEEP_MICROS, this::sweep);
    }
}
