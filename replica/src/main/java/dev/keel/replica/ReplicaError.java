package dev.keel.replica;

/** Why the replica could not serve a request, with etcd's gRPC status code and exact text (etcd 3.4). */
public enum ReplicaError {
    /** No leader is known, so the request could not be proposed or forwarded. */
    NO_LEADER(Codes.UNAVAILABLE, "etcdserver: no leader"),
    /** Leadership moved while the request waited. */
    LEADER_CHANGED(Codes.UNAVAILABLE, "etcdserver: leader changed"),
    /** The request did not complete within the request timeout. */
    TIMED_OUT(Codes.UNAVAILABLE, "etcdserver: request timed out"),
    /** The disk is full: writes are refused until space is freed; reads keep working. */
    NO_SPACE(Codes.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded"),
    /** Too many requests are waiting inside the replica. */
    TOO_MANY_REQUESTS(Codes.RESOURCE_EXHAUSTED, "etcdserver: too many requests"),
    /** The replica is stopping or stopped (crashed, removed). */
    STOPPED(Codes.UNAVAILABLE, "etcdserver: server stopped"),
    /** This member applied its own removal: it serves nothing any more (etcd's {@code ErrGRPCMemberRemoved}). */
    REMOVED(Codes.UNAVAILABLE, "etcdserver: the member has been permanently removed from the cluster"),
    /** An admin request reached a member that does not lead; the leader hint names the one that does. */
    NOT_LEADER(Codes.FAILED_PRECONDITION, "etcdserver: not leader"),
    /** Adding a member whose ID is (or was) in the configuration. */
    MEMBER_EXISTS(Codes.FAILED_PRECONDITION, "etcdserver: member ID already exist"),
    /** Removing or promoting a member the configuration does not hold. */
    MEMBER_NOT_FOUND(Codes.NOT_FOUND, "etcdserver: member not found"),
    /** Promoting a member that is already a voter. */
    MEMBER_NOT_LEARNER(Codes.FAILED_PRECONDITION, "etcdserver: can only promote a learner member"),
    /** Promoting a learner whose log is too far behind the leader's. */
    LEARNER_NOT_READY(Codes.FAILED_PRECONDITION,
            "etcdserver: can only promote a learner member which is in sync with leader"),
    /**
     * A reconfiguration that cannot be made now: another change is still pending (a leader also waits until
     * everything in its log at election is applied), or it would remove the last voter.
     */
    UNHEALTHY(Codes.UNAVAILABLE, "etcdserver: unhealthy cluster"),
    /** A member ID that is not positive, or a configuration that would hold too many members. */
    BAD_MEMBER(Codes.INVALID_ARGUMENT, "etcdserver: invalid member ID or too many members"),
    /** The transfer target is not a voter of the configuration. */
    BAD_LEADER_TRANSFEREE(Codes.FAILED_PRECONDITION, "etcdserver: bad leader transferee"),
    /** The transferee did not take over within the request timeout. */
    TRANSFER_TIMED_OUT(Codes.UNAVAILABLE, "etcdserver: request timed out, leader transfer took too long");

    private final int grpcCode;
    private final String message;

    ReplicaError(int grpcCode, String message) {
        this.grpcCode = grpcCode;
        this.message = message;
    }

    /** @return the gRPC status code etcd answers with */
    public int grpcCode() {
        return grpcCode;
    }

    /** @return etcd's exact error text */
    public String message() {
        return message;
    }

    private static final class Codes {
        static final int INVALID_ARGUMENT = 3;
        static final int NOT_FOUND = 5;
        static final int RESOURCE_EXHAUSTED = 8;
        static final int FAILED_PRECONDITION = 9;
        static final int UNAVAILABLE = 14;
    }
}
