package dev.keel.kernel.raft;

/** Outcome of a read request, as reported in {@link Ready}. */
public final class ReadState {
    private ReadState() {
    }

    /** Confirmed: the state machine has applied at least the read index; serve the read now. */
    public static final byte OK = 0;
    /** Dropped: leadership changed or no leader was known; answer the client with a retryable error. */
    public static final byte DROPPED = 1;
}
