package dev.keel.kernel.raft;

import dev.keel.kernel.util.InvariantViolation;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Configuration changes: validating and proposing them (leader), and applying committed ones in log order on
 * every member. See {@link RaftNode} for why changes are single-member and take effect when applied.
 */
final class Membership {
    private final RaftNode node;
    private final ConfChange change = new ConfChange();
    private final ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(64);
    /** Configuration changes up to here are in effect (applied, or replayed at restart). */
    private long appliedThrough;

    Membership(RaftNode node) {
        this.node = node;
    }

    /** Sets the configuration of a restarted node: the snapshot's, plus changes committed after it. */
    void restore(ConfState snapshotConf, long committed) {
        node.conf.copyFrom(snapshotConf);
        RaftLog log = node.log;
        for (long i = log.storage.snapshotIndex() + 1; i <= committed; i++) {
            if (i > log.storage.baseIndex()) {
                applyEntry(log.entry(i));
            }
        }
        appliedThrough = committed;
        node.progress.reconfigure(node.conf, log.lastIndex());
    }

    /**
     * @return whether a committed configuration change is not in effect yet: until it is, this node could
     *         count votes with an outdated configuration, so it must not campaign (as in etcd-raft)
     */
    boolean hasCommittedChangeNotInEffect() {
        RaftLog log = node.log;
        for (long i = Math.max(appliedThrough, log.storage.baseIndex()) + 1; i <= log.committed(); i++) {
            if (log.entry(i).type() == EntryType.CONF_CHANGE) {
                return true;
            }
        }
        return false;
    }

    /** A snapshot from the leader brought its configuration. */
    void installed(ConfState snapshotConf) {
        node.conf.copyFrom(snapshotConf);
        appliedThrough = node.log.storage.snapshotIndex();
        node.progress.reconfigure(node.conf, node.log.lastIndex());
    }

    long propose(byte type, long member, DirectBuffer context, int offset, int length) {
        if (!ConfChange.isValidType(type) || member <= 0 || length < 0) {
            return RaftError.INVALID_ARGUMENT;
        }
        if (node.role != Role.LEADER) {
            return RaftError.NOT_LEADER;
        }
        if (node.leadTransferee != 0) {
            return RaftError.TRANSFER_IN_PROGRESS;
        }
        if (node.pendingConfIndex > node.log.applied()) {
            return RaftError.CONF_CHANGE_PENDING;
        }
        int refusal = validate(type, member);
        if (refusal != RaftError.OK) {
            return refusal;
        }
        int encodedLength = ConfChange.encode(encoded, 0, type, member, context, offset, length);
        long index = node.log.append(node.term, EntryType.CONF_CHANGE, encoded, 0, encodedLength);
        node.pendingConfIndex = index;
        return index;
    }

    /** Applies the configuration changes among committed entries {@code [from, to]}. */
    void applyCommitted(long from, long to) {
        RaftLog log = node.log;
        boolean changed = false;
        for (long i = from; i <= to; i++) {
            EntryView entry = log.entry(i);
            if (entry.type() == EntryType.CONF_CHANGE && i > appliedThrough) {
                changed |= applyEntry(entry);
            }
        }
        appliedThrough = Math.max(appliedThrough, to);
        if (changed) {
            reconfigured();
        }
    }

    private int validate(byte type, long member) {
        ConfState conf = node.conf;
        switch (type) {
            case ConfChange.ADD_VOTER:
            case ConfChange.ADD_LEARNER:
                if (conf.isMember(member)) {
                    return RaftError.MEMBER_EXISTS;
                }
                return conf.voterCount() + conf.learnerCount() >= ConfState.MAX_MEMBERS
                        ? RaftError.INVALID_ARGUMENT : RaftError.OK;
            case ConfChange.REMOVE:
                if (!conf.isMember(member)) {
                    return RaftError.UNKNOWN_MEMBER;
                }
                return conf.isVoter(member) && conf.voterCount() == 1 ? RaftError.LAST_VOTER : RaftError.OK;
            case ConfChange.UPDATE:
                return conf.isMember(member) ? RaftError.OK : RaftError.UNKNOWN_MEMBER;
            default:
                if (!conf.isMember(member)) {
                    return RaftError.UNKNOWN_MEMBER;
                }
                if (!conf.isLearner(member)) {
                    return RaftError.NOT_LEARNER;
                }
                long match = node.progressMatch(member);
                long last = node.log.lastIndex();
                // Within learnerCatchUpEntries of the leader and, as etcd asks, at 90% of its log at least (so a
                // learner that never started, with nothing, is not ready however short the log).
                return match + node.config.learnerCatchUpEntries() >= last && match * 10 >= last * 9
                        ? RaftError.OK : RaftError.LEARNER_BEHIND;
        }
    }

    /** @return whether the entry was a valid change (an invalid one is skipped the same way everywhere) */
    private boolean applyEntry(EntryView entry) {
        if (entry.type() != EntryType.CONF_CHANGE || !change.wrap(entry.buffer(), entry.offset(), entry.length())) {
            return false;
        }
        change.applyTo(node.conf);
        return true;
    }

    private void reconfigured() {
        node.progress.reconfigure(node.conf, node.log.lastIndex());
        if (node.role != Role.LEADER) {
            return;
        }
        if (!node.conf.isVoter(node.id)) {
            // Removed (or demoted) leader: its removal is committed, so it steps down and stays quiet.
            node.becomeFollower(node.term, 0);
            return;
        }
        if (node.leadTransferee != 0 && !node.conf.isVoter(node.leadTransferee)) {
            node.leadTransferee = 0;
        }
        InvariantViolation.check(node.progress.slotOf(node.id) >= 0, "leader lost its own progress slot");
        node.replication.selfPersisted();
    }
}
