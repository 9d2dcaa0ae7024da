package dev.keel.replica;

import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.raft.ConfState;
import org.agrona.DirectBuffer;

/**
 * Where the replica answers the requests it was given, by the caller's token. Exactly one call per request.
 * Buffers are valid only during the call: copy what you keep.
 */
public interface ReplyPort {
    /**
     * The request was served: {@code response} is the MVCC response (which may itself carry an MVCC error,
     * such as a compacted revision, decided when the request was applied or read).
     */
    void succeeded(long token, DirectBuffer response, int offset, int length);

    /** The request was refused before it reached the log: {@code error} came from validating it. */
    void rejected(long token, MvccError error);

    /**
     * The replica could not serve the request.
     *
     * @param fate       for writes, whether the write may still have taken effect
     * @param leaderHint the leader this member knows of (0: none), so a host can redirect
     */
    void failed(long token, ReplicaError error, Fate fate, long leaderHint);

    /**
     * An admin request succeeded: a membership change ({@link Replica#addMember}, {@link Replica#removeMember},
     * {@link Replica#promoteMember}) was applied on this member, or a leadership transfer
     * ({@link Replica#transferLeadership}) completed.
     *
     * @param members the configuration in effect now (valid only during the call: copy it to keep it)
     * @param leader  the leader this member knows of now (for a transfer: the transferee)
     */
    void adminSucceeded(long token, ConfState members, long leader);
}
