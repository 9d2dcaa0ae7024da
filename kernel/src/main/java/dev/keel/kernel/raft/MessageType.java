package dev.keel.kernel.raft;

/** Raft message types on the wire, named as in etcd-raft. */
public final class MessageType {
    private MessageType() {
    }

    /** Leader → follower: entries after (index, logTerm), and the leader's commit index. */
    public static final byte APP = 1;
    /** Follower → leader: appended up to index, or rejected with a hint (hint index, logTerm of it). */
    public static final byte APP_RESP = 2;
    /** Candidate → voter: vote for me in term; my last entry is (index, logTerm). */
    public static final byte VOTE = 3;
    public static final byte VOTE_RESP = 4;
    /** Pre-candidate → voter: would you vote for me in term (not yet taken)? */
    public static final byte PRE_VOTE = 5;
    public static final byte PRE_VOTE_RESP = 6;
    /** Leader → follower: I am alive; commit (capped at the follower's match); context = read round. */
    public static final byte HEARTBEAT = 7;
    public static final byte HEARTBEAT_RESP = 8;
    /** Leader → follower: one chunk of a snapshot (index, logTerm = snapshot's; hint = chunk offset). */
    public static final byte SNAP = 9;
    /** Follower → leader: snapshot bytes received so far (hint); reject = cannot use this snapshot. */
    public static final byte SNAP_RESP = 10;
    /** Leader → transfer target: campaign now, skipping pre-vote and leader stickiness. */
    public static final byte TIMEOUT_NOW = 11;
    /** Follower → leader: please transfer leadership to {@code hint}. */
    public static final byte TRANSFER_LEADER = 12;
    /** Follower → leader: confirm a read (context = the follower's request context). */
    public static final byte READ_INDEX = 13;
    /** Leader → follower: read of context confirmed at index (reject = dropped). */
    public static final byte READ_INDEX_RESP = 14;

    /** @return whether this version knows the type */
    public static boolean isValid(int type) {
        return type >= APP && type <= READ_INDEX_RESP;
    }

    /** @return true for responses, which carry no new claim about who leads */
    public static boolean isResponse(int type) {
        return type == APP_RESP || type == VOTE_RESP || type == PRE_VOTE_RESP || type == HEARTBEAT_RESP
                || type == SNAP_RESP || type == READ_INDEX_RESP;
    }

    /**
     * @return true for the types only a leader sends — {@link #APP}, {@link #HEARTBEAT}, {@link #SNAP},
     *         {@link #TIMEOUT_NOW}. None of them acknowledges anything the sender has yet to make durable, which
     *         is why {@link Ready#messageMayLeaveBeforeSync(int)} lets them leave before the local sync.
     */
    public static boolean isSentOnlyByLeaders(int type) {
        return type == APP || type == HEARTBEAT || type == SNAP || type == TIMEOUT_NOW;
    }

    /** @return a short name for logs and scenario output */
    public static String name(int type) {
        switch (type) {
            case APP: return "MsgApp";
            case APP_RESP: return "MsgAppResp";
            case VOTE: return "MsgVote";
            case VOTE_RESP: return "MsgVoteResp";
            case PRE_VOTE: return "MsgPreVote";
            case PRE_VOTE_RESP: return "MsgPreVoteResp";
            case HEARTBEAT: return "MsgHeartbeat";
            case HEARTBEAT_RESP: return "MsgHeartbeatResp";
            case SNAP: return "MsgSnap";
            case SNAP_RESP: return "MsgSnapResp";
            case TIMEOUT_NOW: return "MsgTimeoutNow";
            case TRANSFER_LEADER: return "MsgTransferLeader";
            case READ_INDEX: return "MsgReadIndex";
            case READ_INDEX_RESP: return "MsgReadIndexResp";
            default: return "Msg?" + type;
        }
    }
}
