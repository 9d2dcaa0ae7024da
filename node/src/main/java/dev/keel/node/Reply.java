package dev.keel.node;

import dev.keel.kernel.raft.ConfState;
import io.grpc.Status;

/**
 * Where a request's answer goes. The kernel thread calls exactly one method, once; implementations hand the work
 * of building the protobuf response to their own thread (the gRPC call's event loop), so the kernel thread only
 * copies bytes.
 */
public abstract class Reply {
    /** Set by {@link Calls#register}; read by the kernel thread after the ring's hand-off. */
    volatile long token;

    /**
     * The replica served the request.
     *
     * @param mvccResponse the kernel's encoded response (a copy the reply owns)
     * @param facts        the member's state for the response header
     */
    public abstract void succeeded(byte[] mvccResponse, HeaderFacts facts);

    /** The request failed with etcd's status (code and exact text). */
    public abstract void failed(Status status);

    /**
     * This member does not lead and the request must be served by the leader (lease keepalive and time-to-live,
     * membership changes): a reply that can forward overrides this. By default it fails with {@code status}
     * (etcd's "not leader").
     *
     * @param leader           the leader this member knows of (0: none)
     * @param leaderClientUrls the client URLs the leader advertised (empty when unknown)
     */
    public void notLeader(long leader, java.util.List<String> leaderClientUrls, Status status) {
        failed(status);
    }

    /** A status request was answered (only for {@link RequestGate#STATUS}). */
    public void status(NodeStatus status) {
        failed(Status.INTERNAL.withDescription("unexpected status answer"));
    }

    /** A member list request was answered (only for {@link RequestGate#MEMBER_LIST}). */
    public void members(MemberListing members) {
        failed(Status.INTERNAL.withDescription("unexpected member list answer"));
    }

    /**
     * An admin request (membership change, leadership transfer) succeeded.
     *
     * @param members the configuration in effect now (a copy the reply owns)
     * @param leader  the leader known now (for a transfer: the transferee)
     */
    public void adminSucceeded(ConfState members, long leader, HeaderFacts facts) {
        failed(Status.INTERNAL.withDescription("unexpected admin answer"));
    }
}
