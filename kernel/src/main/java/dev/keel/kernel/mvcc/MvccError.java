package dev.keel.kernel.mvcc;

/**
 * Every error the MVCC state machine reports, with etcd's gRPC status code and exact text (etcd 3.4,
 * {@code rpctypes}). Responses carry {@link #wireId()}; hosts map it back with {@link #fromWireId(int)}.
 */
public enum MvccError {
    OK(0, 0, ""),
    EMPTY_KEY(1, GrpcCode.INVALID_ARGUMENT, "etcdserver: key is not provided"),
    REQUEST_TOO_LARGE(2, GrpcCode.INVALID_ARGUMENT, "etcdserver: request is too large"),
    TOO_MANY_OPS(3, GrpcCode.INVALID_ARGUMENT, "etcdserver: too many operations in txn request"),
    DUPLICATE_KEY(4, GrpcCode.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request"),
    VALUE_PROVIDED(5, GrpcCode.INVALID_ARGUMENT, "etcdserver: value is provided"),
    LEASE_PROVIDED(6, GrpcCode.INVALID_ARGUMENT, "etcdserver: lease is provided"),
    COMPACTED(7, GrpcCode.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"),
    FUTURE_REVISION(8, GrpcCode.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"),
    NO_SPACE(9, GrpcCode.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded"),
    LEASE_NOT_FOUND(10, GrpcCode.NOT_FOUND, "etcdserver: requested lease not found"),
    LEASE_EXISTS(11, GrpcCode.FAILED_PRECONDITION, "etcdserver: lease already exists"),
    LEASE_TTL_TOO_LARGE(12, GrpcCode.OUT_OF_RANGE, "etcdserver: too large lease TTL"),
    KEY_NOT_FOUND(13, GrpcCode.INVALID_ARGUMENT, "etcdserver: key not found"),
    INVALID_SORT_OPTION(14, GrpcCode.INVALID_ARGUMENT, "etcdserver: invalid sort option"),
    NOT_LEADER(15, GrpcCode.FAILED_PRECONDITION, "etcdserver: not leader"),
    /** Keel's own: bytes that do not decode as a request (never produced by Keel's encoder). */
    MALFORMED_REQUEST(16, GrpcCode.INVALID_ARGUMENT, "etcdserver: malformed request");

    private static final MvccError[] BY_WIRE_ID = new MvccError[17];

    static {
        for (MvccError e : values()) {
            BY_WIRE_ID[e.wireId] = e;
        }
    }

    private final int wireId;
    private final int grpcCode;
    private final String message;

    MvccError(int wireId, int grpcCode, String message) {
        this.wireId = wireId;
        this.grpcCode = grpcCode;
        this.message = message;
    }

    /** @return the stable number written into responses */
    public int wireId() {
        return wireId;
    }

    /** @return the gRPC status code etcd answers with */
    public int grpcCode() {
        return grpcCode;
    }

    /** @return etcd's exact error text */
    public String message() {
        return message;
    }

    /** @return the error with this wire id; {@link #MALFORMED_REQUEST} for an unknown id */
    public static MvccError fromWireId(int wireId) {
        return wireId >= 0 && wireId < BY_WIRE_ID.length && BY_WIRE_ID[wireId] != null
                ? BY_WIRE_ID[wireId] : MALFORMED_REQUEST;
    }

    /** gRPC status codes used above. */
    public static final class GrpcCode {
        public static final int INVALID_ARGUMENT = 3;
        public static final int NOT_FOUND = 5;
        public static final int RESOURCE_EXHAUSTED = 8;
        public static final int FAILED_PRECONDITION = 9;
        public static final int OUT_OF_RANGE = 11;

        private GrpcCode() {
        }
    }
}
