package dev.keel.kernel.raft;

/**
 * Why a request to a {@link RaftNode} was refused. API calls return {@link #OK} (or, for proposals, a positive
 * log index) or one of these negative codes; nothing about a refused request reached the log.
 */
public final class RaftError {
    private RaftError() {
    }

    public static final int OK = 0;
    public static final int NOT_LEADER = -1;
    public static final int TRANSFER_IN_PROGRESS = -2;
    public static final int CONF_CHANGE_PENDING = -3;
    public static final int MEMBER_EXISTS = -4;
    public static final int UNKNOWN_MEMBER = -5;
    public static final int NOT_LEARNER = -6;
    public static final int LEARNER_BEHIND = -7;
    public static final int LAST_VOTER = -8;
    public static final int TOO_MANY_READS = -9;
    public static final int NO_LEADER = -10;
    public static final int BAD_TRANSFER_TARGET = -11;
    public static final int SNAPSHOT_OUT_OF_DATE = -12;
    public static final int COMPACT_BEYOND_SNAPSHOT = -13;
    public static final int INVALID_ARGUMENT = -14;
    public static final int LEADER_NOT_READY = -15;

    /** @return words for a code */
    public static String describe(long code) {
        switch ((int) code) {
            case OK: return "ok";
            case NOT_LEADER: return "not leader";
            case TRANSFER_IN_PROGRESS: return "leadership transfer in progress";
            case CONF_CHANGE_PENDING: return "a configuration change is still pending";
            case MEMBER_EXISTS: return "member already exists";
            case UNKNOWN_MEMBER: return "member not found";
            case NOT_LEARNER: return "can only promote a learner member";
            case LEARNER_BEHIND: return "can only promote a learner member which is in sync with leader";
            case LAST_VOTER: return "cannot remove the last voter";
            case TOO_MANY_READS: return "too many pending reads";
            case NO_LEADER: return "no leader";
            case BAD_TRANSFER_TARGET: return "bad leader transferee";
            case SNAPSHOT_OUT_OF_DATE: return "nothing applied since the last snapshot";
            case COMPACT_BEYOND_SNAPSHOT: return "cannot compact past the latest snapshot";
            case INVALID_ARGUMENT: return "invalid argument";
            case LEADER_NOT_READY: return "leader has not committed an entry in its term yet";
            default: return "error " + code;
        }
    }
}
