package dev.keel.kernel.raft;

import dev.keel.kernel.util.InvariantViolation;

/**
 * How a {@link RaftNode} handles a decoded message: first the term (newer terms depose, older ones are
 * answered so stale leaders learn of them, vote requests within a leader's lease are ignored), then one step
 * function per role, as in etcd-raft.
 */
final class RoleSteps {
    private final RaftNode node;

    RoleSteps(RaftNode node) {
        this.node = node;
    }

    void stepMessage() {
        byte type = node.in.type();
        long messageTerm = node.in.term();
        if (messageTerm > node.term) {
            boolean voteRequest = type == MessageType.VOTE || type == MessageType.PRE_VOTE;
            boolean transfer = (node.in.flags() & MessageLayout.FLAG_TRANSFER) != 0;
            if (voteRequest && !transfer && node.inLease()) {
                return; // leader stickiness: a live leader is known, so this candidate is disruptive
            }
            boolean keepTerm = type == MessageType.PRE_VOTE
                    || (type == MessageType.PRE_VOTE_RESP && !node.in.reject());
            if (!keepTerm) {
                boolean fromLeader = type == MessageType.APP || type == MessageType.HEARTBEAT
                        || type == MessageType.SNAP;
                node.becomeFollower(messageTerm, fromLeader ? node.in.from() : 0);
            }
        } else if (messageTerm < node.term) {
            stepStale(type);
            return;
        }
        if (type == MessageType.VOTE || type == MessageType.PRE_VOTE) {
            node.election.handleVoteRequest();
            return;
        }
        switch (node.role) {
            case Role.LEADER:
                stepLeader(type);
                break;
            case Role.FOLLOWER:
                stepFollower(type);
                break;
            default:
                stepCandidate(type);
                break;
        }
    }

    /**
     * A message from an older term: tell stale leaders and pre-candidates about the newer term. Needed whenever
     * this node may have raised its term without disrupting anyone (pre-vote, check-quorum, stickiness): the
     * stale leader would otherwise never learn of it, and this node, ignored, could never rejoin.
     */
    private void stepStale(byte type) {
        boolean fromStaleLeader = type == MessageType.APP || type == MessageType.HEARTBEAT;
        boolean mayBeIgnored = node.config.checkQuorum() || node.config.preVote() || node.config.leaderStickiness();
        if (mayBeIgnored && fromStaleLeader) {
            node.send(MessageType.APP_RESP, node.in.from()).end();
        } else if (type == MessageType.PRE_VOTE) {
            node.send(MessageType.PRE_VOTE_RESP, node.in.from()).flags(MessageLayout.FLAG_REJECT).end();
        }
    }

    private void stepLeader(byte type) {
        switch (type) {
            case MessageType.APP_RESP:
                node.replication.onAppendResponse();
                break;
            case MessageType.HEARTBEAT_RESP:
                node.replication.onHeartbeatResponse();
                break;
            case MessageType.SNAP_RESP:
                node.replication.snapshots.onResponse();
                break;
            case MessageType.TRANSFER_LEADER:
                node.replication.transferTo(node.in.hint());
                break;
            case MessageType.READ_INDEX:
                if (node.reads.isFull()) {
                    node.sendReadIndexResponse(node.in.from(), node.in.context(), 0, true);
                } else {
                    node.replication.handleRead(node.in.context(), node.in.from());
                }
                break;
            case MessageType.APP:
            case MessageType.HEARTBEAT:
            case MessageType.SNAP:
                throw new InvariantViolation("two leaders in term " + node.term + ": " + node.id + " and " + node.in.from());
            default:
                break;
        }
    }

    private void stepCandidate(byte type) {
        switch (type) {
            case MessageType.APP:
            case MessageType.HEARTBEAT:
            case MessageType.SNAP:
                node.becomeFollower(node.term, node.in.from());
                stepFollower(type);
                break;
            case MessageType.VOTE_RESP:
            case MessageType.PRE_VOTE_RESP:
                node.election.onVoteResponse(type);
                break;
            default:
                break;
        }
    }

    private void stepFollower(byte type) {
        switch (type) {
            case MessageType.APP:
                heardFromLeader();
                node.follower.onAppend();
                break;
            case MessageType.HEARTBEAT:
                heardFromLeader();
                node.follower.onHeartbeat();
                break;
            case MessageType.SNAP:
                heardFromLeader();
                node.follower.onSnapshotChunk();
                break;
            case MessageType.TIMEOUT_NOW:
                if (node.promotable()) {
                    node.election.campaign(true);
                }
                break;
            case MessageType.READ_INDEX_RESP:
                node.reads.confirmForwarded(node.in.context(), node.in.index(), node.in.reject());
                break;
            case MessageType.TRANSFER_LEADER:
                if (node.leader != 0) {
                    node.send(MessageType.TRANSFER_LEADER, node.leader).hint(node.in.hint()).end();
                }
                break;
            case MessageType.READ_INDEX:
                node.sendReadIndexResponse(node.in.from(), node.in.context(), 0, true);
                break;
            default:
                break;
        }
    }

    private void heardFromLeader() {
        node.electionElapsed = 0;
        node.setLeader(node.in.from());
    }
}
