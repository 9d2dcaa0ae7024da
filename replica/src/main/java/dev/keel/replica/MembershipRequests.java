package dev.keel.replica;

import dev.keel.kernel.raft.ConfChange;
import dev.keel.kernel.raft.EntryType;
import dev.keel.kernel.raft.EntryView;
import dev.keel.kernel.raft.LogStorage;
import dev.keel.kernel.raft.RaftError;
import dev.keel.kernel.raft.RaftNode;
import dev.keel.kernel.raft.Role;
import dev.keel.kernel.util.InvariantViolation;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The life of admin requests inside a replica (etcd's Cluster and Maintenance.MoveLeader semantics):
 * membership changes proposed on the leader and answered when their entry is applied here, and leadership
 * transfers answered when the transferee leads. A member that does not lead refuses them with
 * {@link ReplicaError#NOT_LEADER} and the leader it knows of (hosts redirect, as etcd clients do); nothing is
 * forwarded. The caller owns the kernel and calls only when it may be stepped.
 *
 * <p>A change proposed here waits for its (index, term): applied with that term it succeeded; another entry
 * applied at its index means a new leader overwrote it (certainly not applied); a snapshot replacing the index
 * or the request timeout leaves its fate unknown. Losing leadership does not answer it: the entry may still
 * commit under the next leader, and is answered when it is applied here.
 */
final class MembershipRequests {
    /** A change proposed here. */
    private record Change(long token, long term, long deadlineTick) {
    }

    /** A transfer this leader started. */
    private record Transfer(long token, long target, long deadlineTick) {
    }

    private final long self;
    private final ReplyPort replies;
    private final int timeoutTicks;
    private final TreeMap<Long, Change> byIndex = new TreeMap<>();
    private final List<Transfer> transfers = new ArrayList<>();
    private final EntryView view = new EntryView();

    MembershipRequests(long self, ReplyPort replies, int timeoutTicks) {
        this.self = self;
        this.replies = replies;
        this.timeoutTicks = timeoutTicks;
    }

    /** Proposes a {@link ConfChange} type for {@code member} on the leader, or refuses it. */
    void change(RaftNode raft, long nowTick, long token, byte type, long member, DirectBuffer context, int offset,
                int length) {
        if (refusedOffLeader(raft, token)) {
            return;
        }
        long index = context == null ? raft.proposeConfChange(type, member)
                : raft.proposeConfChange(type, member, context, offset, length);
        if (index <= 0) {
            replies.failed(token, map(index), Fate.NOT_APPLIED, raft.leaderId());
            return;
        }
        if (byIndex.put(index, new Change(token, raft.term(), nowTick + timeoutTicks)) != null) {
            throw new InvariantViolation("two pending configuration changes at index " + index);
        }
    }

    /** Starts handing leadership to {@code target}, or refuses it. */
    void transfer(RaftNode raft, long nowTick, long token, long target) {
        if (refusedOffLeader(raft, token)) {
            return;
        }
        if (target == self) {
            replies.adminSucceeded(token, raft.configuration(), self); // etcd: moving to itself is a no-op
            return;
        }
        int status = raft.transferLeadership(target);
        if (status != RaftError.OK) {
            replies.failed(token, map(status), Fate.NOT_APPLIED, raft.leaderId());
            return;
        }
        transfers.add(new Transfer(token, target, nowTick + timeoutTicks));
    }

    private boolean refusedOffLeader(RaftNode raft, long token) {
        if (raft.role() == Role.LEADER) {
            return false;
        }
        long leader = raft.leaderId();
        replies.failed(token, leader == 0 ? ReplicaError.NO_LEADER : ReplicaError.NOT_LEADER, Fate.NOT_APPLIED,
                leader);
        return true;
    }

    /**
     * Entries {@code [from, to]} were applied and the kernel advanced (their configuration is in effect):
     * answer the changes proposed at those indexes.
     */
    void onApplied(RaftNode raft, long from, long to) {
        if (byIndex.isEmpty() || to < from) {
            return;
        }
        LogStorage log = raft.storage();
        Iterator<Map.Entry<Long, Change>> it = byIndex.subMap(from, true, to, true).entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Change> e = it.next();
            it.remove();
            long index = e.getKey();
            Change c = e.getValue();
            log.entry(index, view);
            if (view.type() == EntryType.CONF_CHANGE && view.term() == c.term()) {
                replies.adminSucceeded(c.token(), raft.configuration(), raft.leaderId());
            } else {
                replies.failed(c.token(), ReplicaError.LEADER_CHANGED, Fate.NOT_APPLIED, raft.leaderId());
            }
        }
    }

    /** A snapshot replaced the log up to {@code index}: changes proposed at or below it cannot be told. */
    void onSnapshotInstalled(long index, long leader) {
        Map.Entry<Long, Change> e;
        while ((e = byIndex.firstEntry()) != null && e.getKey() <= index) {
            byIndex.remove(e.getKey());
            replies.failed(e.getValue().token(), ReplicaError.LEADER_CHANGED, Fate.UNKNOWN, leader);
        }
    }

    /** The leader this member knows of changed: a transfer to it succeeded; to anyone else, it failed. */
    void onLeaderChanged(RaftNode raft, long leader) {
        if (leader == 0) {
            return; // an election is running (the transferee's, perhaps): wait for its outcome
        }
        Iterator<Transfer> it = transfers.iterator();
        while (it.hasNext()) {
            Transfer t = it.next();
            if (t.target() == leader) {
                it.remove();
                replies.adminSucceeded(t.token(), raft.configuration(), leader);
            } else if (leader != self) {
                it.remove();
                replies.failed(t.token(), ReplicaError.LEADER_CHANGED, Fate.UNKNOWN, leader);
            }
        }
    }

    /** Fails every request whose deadline passed. */
    void expire(long nowTick, long leader) {
        Iterator<Change> changes = byIndex.values().iterator();
        while (changes.hasNext()) {
            Change c = changes.next();
            if (c.deadlineTick() <= nowTick) {
                changes.remove();
                replies.failed(c.token(), ReplicaError.TIMED_OUT, Fate.UNKNOWN, leader);
            }
        }
        Iterator<Transfer> it = transfers.iterator();
        while (it.hasNext()) {
            Transfer t = it.next();
            if (t.deadlineTick() <= nowTick) {
                it.remove();
                replies.failed(t.token(), ReplicaError.TRANSFER_TIMED_OUT, Fate.UNKNOWN, leader);
            }
        }
    }

    /** The replica stops: every waiting request is answered with {@code error}. */
    void stop(ReplicaError error) {
        for (Change c : byIndex.values()) {
            replies.failed(c.token(), error, Fate.UNKNOWN, 0);
        }
        byIndex.clear();
        for (Transfer t : transfers) {
            replies.failed(t.token(), error, Fate.UNKNOWN, 0);
        }
        transfers.clear();
    }

    int pending() {
        return byIndex.size() + transfers.size();
    }

    /** @return etcd's error for a kernel refusal */
    static ReplicaError map(long raftError) {
        switch ((int) raftError) {
            case RaftError.NOT_LEADER: return ReplicaError.NOT_LEADER;
            case RaftError.NO_LEADER: return ReplicaError.NO_LEADER;
            case RaftError.TRANSFER_IN_PROGRESS: return ReplicaError.LEADER_CHANGED;
            case RaftError.MEMBER_EXISTS: return ReplicaError.MEMBER_EXISTS;
            case RaftError.UNKNOWN_MEMBER: return ReplicaError.MEMBER_NOT_FOUND;
            case RaftError.NOT_LEARNER: return ReplicaError.MEMBER_NOT_LEARNER;
            case RaftError.LEARNER_BEHIND: return ReplicaError.LEARNER_NOT_READY;
            case RaftError.BAD_TRANSFER_TARGET: return ReplicaError.BAD_LEADER_TRANSFEREE;
            case RaftError.INVALID_ARGUMENT: return ReplicaError.BAD_MEMBER;
            case RaftError.CONF_CHANGE_PENDING:
            case RaftError.LAST_VOTER:
            case RaftError.LEADER_NOT_READY:
            default:
                return ReplicaError.UNHEALTHY;
        }
    }
}
