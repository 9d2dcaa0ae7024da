package dev.keel.kernel.raft;

/**
 * Campaigns and votes: pre-vote (ask before raising the term), real votes, granting with the up-to-date log
 * check, and counting answers from the current configuration's voters.
 */
final class Election {
    private final RaftNode node;

    Election(RaftNode node) {
        this.node = node;
    }

    /**
     * Starts a campaign: a pre-vote round first unless pre-vote is off or this is a leadership transfer (the
     * old leader asked, so there is nobody to disrupt).
     */
    void campaign(boolean transfer) {
        if (!node.promotable() || node.membership.hasCommittedChangeNotInEffect()) {
            return;
        }
        start(node.config.preVote() && !transfer, transfer);
    }

    private void start(boolean pre, boolean transfer) {
        if (pre) {
            node.becomePreCandidate();
        } else {
            node.becomeCandidate();
        }
        recordVote(node.id, true);
        if (node.progress.tally(node.conf) > 0) {
            won(pre);
            return;
        }
        requestVotes(pre, transfer);
    }

    /** Answers a VOTE or PRE_VOTE request; the term was already reconciled by the caller. */
    void handleVoteRequest() {
        MessageDecoder in = node.in;
        boolean pre = in.type() == MessageType.PRE_VOTE;
        long from = in.from();
        boolean canVote = node.vote == from
                || (node.vote == 0 && node.leader == 0)
                || (pre && in.term() > node.term);
        byte response = pre ? MessageType.PRE_VOTE_RESP : MessageType.VOTE_RESP;
        boolean upToDate = node.log.isUpToDate(in.index(), in.logTerm()) || node.hazards.voteWithoutLogCheck;
        if (canVote && upToDate) {
            // A pre-vote is answered in the term the candidate would campaign in, so it counts it.
            node.out.begin(response, node.id, from, in.term()).end();
            if (!pre) {
                node.electionElapsed = 0;
                node.vote = from;
            }
        } else {
            node.send(response, from).flags(MessageLayout.FLAG_REJECT).end();
        }
    }

    /** Counts a vote response; wins or loses the election when a quorum has answered one way. */
    void onVoteResponse(byte type) {
        boolean pre = node.role == Role.PRE_CANDIDATE;
        if (type != (pre ? MessageType.PRE_VOTE_RESP : MessageType.VOTE_RESP)) {
            return;
        }
        if (pre && !node.in.reject() && node.in.term() != node.term + 1) {
            // A grant carries the term it was asked for: this one answers an earlier round (a pre-vote for the
            // current term, asked before this node reached it), delayed in the network. Counting it would let
            // an isolated node campaign and depose a healthy leader on rejoining (etcd counts it).
            return;
        }
        recordVote(node.in.from(), !node.in.reject());
        int result = node.progress.tally(node.conf);
        if (result > 0) {
            won(pre);
        } else if (result < 0) {
            node.becomeFollower(node.term, 0);
        }
    }

    private void won(boolean pre) {
        if (pre) {
            start(false, false);
        } else {
            node.becomeLeader();
        }
    }

    private void requestVotes(boolean pre, boolean transfer) {
        long voteTerm = pre ? node.term + 1 : node.term;
        byte type = pre ? MessageType.PRE_VOTE : MessageType.VOTE;
        int flags = transfer ? MessageLayout.FLAG_TRANSFER : 0;
        long lastIndex = node.log.lastIndex();
        long lastTerm = node.log.lastTerm();
        ConfState conf = node.conf;
        for (int i = 0; i < conf.voterCount(); i++) {
            long voter = conf.voter(i);
            if (voter != node.id) {
                node.out.begin(type, node.id, voter, voteTerm).index(lastIndex).logTerm(lastTerm).flags(flags)
                        .end();
            }
        }
    }

    private void recordVote(long from, boolean granted) {
        int slot = node.progress.slotOf(from);
        if (slot >= 0 && node.progress.votes[slot] == ProgressTracker.VOTE_NONE) {
            node.progress.votes[slot] = granted ? ProgressTracker.VOTE_GRANTED : ProgressTracker.VOTE_REJECTED;
        }
    }
}
