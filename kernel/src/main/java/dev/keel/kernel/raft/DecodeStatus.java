package dev.keel.kernel.raft;

/**
 * Why a message's bytes were refused. {@link RaftNode#step} returns one of these (or {@link #OK}); a refused
 * message changes nothing, so garbage from the network can never take a node down.
 */
public final class DecodeStatus {
    private DecodeStatus() {
    }

    public static final int OK = 0;
    public static final int TRUNCATED = -1;
    public static final int BAD_VERSION = -2;
    public static final int BAD_TYPE = -3;
    public static final int BAD_LENGTH = -4;
    public static final int BAD_FIELD = -5;
    public static final int BAD_ENTRY = -6;
    public static final int BAD_SNAPSHOT = -7;
    public static final int WRONG_RECIPIENT = -8;

    /** @return words for a status, for logs */
    public static String describe(int status) {
        switch (status) {
            case OK: return "ok";
            case TRUNCATED: return "truncated: shorter than the header or than its declared length";
            case BAD_VERSION: return "unknown wire version";
            case BAD_TYPE: return "unknown message type";
            case BAD_LENGTH: return "declared length does not match the bytes given";
            case BAD_FIELD: return "a header field is out of range";
            case BAD_ENTRY: return "an entry is malformed or does not fit";
            case BAD_SNAPSHOT: return "a snapshot chunk is malformed";
            case WRONG_RECIPIENT: return "addressed to another node";
            default: return "status " + status;
        }
    }
}
