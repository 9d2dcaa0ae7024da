package dev.keel.simulator;

import dev.keel.kernel.raft.ConfState;

/**
 * The promise of pre-vote and check-quorum, checked once the network has healed and the cluster committed
 * again: terms stop rising, and a follower cut off for longer than an election timeout rejoins without
 * deposing the healthy leader. Runs only on seeds with both features on (without them, disruption is the
 * documented behaviour).
 */
final class DisruptionCheck {
    /** How long the follower is cut off (several election timeouts), and how long the cluster is watched after. */
    static final long ISOLATION_MICROS = 3_000_000;
    static final long WATCH_MICROS = 5_000_000;
    /**
     * How long the check waits, at most, for an election begun in the fault phase to end (a candidate's higher
     * term still has to reach the leader, or a new leader to win) before it takes its baseline anyway.
     */
    static final long SETTLE_MICROS = 3_000_000;

    private final Simulation sim;
    private long term;
    private long leader;

    DisruptionCheck(Simulation sim) {
        this.sim = sim;
    }

    /**
     * Starts after the liveness probe committed, once nothing the membership operator asked for can still move
     * leadership (a transfer or change in flight raises terms by design); returns when the check ends.
     */
    long start() {
        long begin = Math.max(sim.now(), sim.operator.quietAfter());
        long settleBy = begin + SETTLE_MICROS;
        if (begin > sim.now()) {
            sim.schedule(begin, () -> beginOnceSettled(settleBy));
        } else {
            beginOnceSettled(settleBy);
        }
        return settleBy + ISOLATION_MICROS + WATCH_MICROS;
    }

    /**
     * The baseline is a settled cluster: every live voter in the leader's term and following it. A candidate
     * left over from the fault phase (its term above the leader's) deposes the leader whether or not anyone
     * is cut off, so that term rising is the fault phase's doing, not the healed network's.
     */
    private void beginOnceSettled(long settleBy) {
        if (settled() || sim.now() >= settleBy) {
            begin();
        } else {
            sim.schedule(sim.now() + Simulation.TICK_MICROS, () -> beginOnceSettled(settleBy));
        }
    }

    private boolean settled() {
        long current = sim.currentLeader();
        if (current == 0) {
            return false;
        }
        long leaderTerm = sim.node(current).replica.raft().term();
        ConfState voters = sim.node(current).replica.raft().configuration();
        for (SimNode node : sim.present()) {
            if (node.up && voters.isVoter(node.id) && (node.replica.raft().term() != leaderTerm
                    || node.replica.leaderId() != current)) {
                return false;
            }
        }
        return true;
    }

    private void begin() {
        if (sim.operator.changing()) {
            sim.event("disruption check skipped: a membership change is still unsettled");
            return;
        }
        term = sim.highestTerm();
        leader = sim.currentLeader();
        long isolated = quietFollower();
        if (isolated != 0) {
            cutOff(isolated);
            sim.event("disruption check: follower " + isolated + " cut off for " + ISOLATION_MICROS / 1000 + " ms");
            sim.schedule(sim.now() + ISOLATION_MICROS, () -> {
                sim.network.heal();
                sim.event("disruption check: follower " + isolated + " rejoins");
            });
        }
        sim.schedule(sim.now() + ISOLATION_MICROS + WATCH_MICROS, this::verify);
    }

    /** @return a live voter, not the leader, whose absence still leaves the leader a quorum of live voters, or 0 */
    private long quietFollower() {
        if (leader == 0) {
            return 0;
        }
        ConfState voters = sim.node(leader).replica.raft().configuration();
        int live = 0;
        long candidate = 0;
        for (SimNode node : sim.present()) {
            if (node.up && voters.isVoter(node.id)) {
                live++;
                if (node.id != leader && candidate == 0) {
                    candidate = node.id;
                }
            }
        }
        return live - 1 >= voters.quorum() ? candidate : 0;
    }

    private void cutOff(long follower) {
        for (SimNode other : sim.present()) {
            if (other.id != follower) {
                sim.network.cut(follower, other.id);
                sim.network.cut(other.id, follower);
            }
        }
    }

    private void verify() {
        long now = sim.highestTerm();
        long nowLeader = sim.currentLeader();
        if (now != term || nowLeader != leader) {
            throw new SimulationFailure("disruption", "after the network healed, the term rose from " + term + " to "
                    + now + " (leader " + leader + " -> " + nowLeader + ") with pre-vote and check-quorum on");
        }
    }
}
