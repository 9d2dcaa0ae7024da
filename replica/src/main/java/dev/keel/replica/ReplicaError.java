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
    STOPPED(Codes.UNAVAILABLE, "etcdserver: server stopped");

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
        static final int RESOURCE_EXHAUSTED = 8;
        static final int UNAVAILABLE = 14;
    }
}
