package dev.keel.node.api;

import dev.keel.kernel.raft.ConfState;
import dev.keel.node.KernelContext;
import io.grpc.Status;

/**
 * etcd's {@code --strict-reconfig-check} (on by default), checked by the leader before it proposes a change: a
 * change must not leave the cluster without a quorum of started members, and a voter is added only while every
 * voter is connected. "Started" is a member that connected to the leader at least once (it told its name);
 * etcd's health window (connected for the last 5 s) is approximated by "connected now". Host knowledge —
 * connectivity — not replicated state: the replica's own rules (one change at a time, the last voter, a
 * learner's catch-up) still apply after it.
 */
final class ReconfigCheck {
    static final Status NOT_ENOUGH_STARTED = Status.FAILED_PRECONDITION
            .withDescription("etcdserver: re-configuration failed due to not enough started members");
    static final Status UNHEALTHY = Status.UNAVAILABLE.withDescription("etcdserver: unhealthy cluster");

    private ReconfigCheck() {
    }

    /** @return why adding a member is refused now, or null (etcd's {@code mayAddMember}) */
    static Status add(KernelContext k, boolean learner) {
        if (!k.replica().isLeader()) {
            return null; // the leader decides; this member forwards
        }
        ConfState conf = k.replica().raft().configuration();
        if (!learner) {
            int members = 1;
            int started = 0;
            for (int i = 0; i < conf.voterCount(); i++) {
                started += k.started(conf.voter(i)) ? 1 : 0;
                members++;
            }
            // etcd: one started member may add a second (restoring a cluster from one member's data)
            boolean restoring = started == 1 && members == 2;
            if (!restoring && started < members / 2 + 1) {
                return NOT_ENOUGH_STARTED;
            }
        }
        for (int i = 0; i < conf.voterCount(); i++) {
            if (!k.connected(conf.voter(i))) {
                return UNHEALTHY;
            }
        }
        return null;
    }

    /** @return why removing {@code id} is refused now, or null (etcd's {@code mayRemoveMember}) */
    static Status remove(KernelContext k, long id) {
        ConfState conf = k.replica().raft().configuration();
        if (!k.replica().isLeader() || !conf.isVoter(id)) {
            return null; // a learner never counts in a quorum; a non-member gets "member not found"
        }
        int members = 0;
        int started = 0;
        for (int i = 0; i < conf.voterCount(); i++) {
            long v = conf.voter(i);
            if (v != id) {
                started += k.started(v) ? 1 : 0;
                members++;
            }
        }
        if (started < members / 2 + 1) {
            return NOT_ENOUGH_STARTED;
        }
        if (id != k.config().memberId() && !k.started(id)) {
            return null; // a member that never came up is not part of the active quorum
        }
        int active = 0;
        for (int i = 0; i < conf.voterCount(); i++) {
            active += k.connected(conf.voter(i)) ? 1 : 0;
        }
        return active - 1 < 1 + (conf.voterCount() - 1) / 2 ? UNHEALTHY : null;
    }

    /** @return why promoting {@code id} is refused now, or null (etcd's {@code mayPromoteMember}) */
    static Status promote(KernelContext k, long id) {
        ConfState conf = k.replica().raft().configuration();
        if (!k.replica().isLeader() || !conf.isLearner(id)) {
            return null; // not a learner: the replica answers etcd's error for it
        }
        int members = 1;
        int started = 1; // the learner counts as started, as in etcd
        for (int i = 0; i < conf.voterCount(); i++) {
            started += k.started(conf.voter(i)) ? 1 : 0;
            members++;
        }
        return started < members / 2 + 1 ? NOT_ENOUGH_STARTED : null;
    }
}
