package dev.keel.kernel.auth;

/**
 * Every result of an auth operation, with etcd's gRPC status code and exact text (etcd 3.4, {@code rpctypes}).
 * {@link #OK} is success; {@link #wireId()} is the stable number written into responses.
 */
public enum AuthError {
    OK(0, 0, ""),
    ROOT_USER_NOT_EXIST(1, GrpcCode.FAILED_PRECONDITION, "etcdserver: root user does not exist"),
    ROOT_ROLE_NOT_EXIST(2, GrpcCode.FAILED_PRECONDITION, "etcdserver: root user does not have root role"),
    USER_ALREADY_EXIST(3, GrpcCode.FAILED_PRECONDITION, "etcdserver: user name already exists"),
    USER_EMPTY(4, GrpcCode.INVALID_ARGUMENT, "etcdserver: user name is empty"),
    USER_NOT_FOUND(5, GrpcCode.FAILED_PRECONDITION, "etcdserver: user name not found"),
    ROLE_ALREADY_EXIST(6, GrpcCode.FAILED_PRECONDITION, "etcdserver: role name already exists"),
    ROLE_NOT_FOUND(7, GrpcCode.FAILED_PRECONDITION, "etcdserver: role name not found"),
    ROLE_EMPTY(8, GrpcCode.INVALID_ARGUMENT, "etcdserver: role name is empty"),
    PERMISSION_DENIED(9, GrpcCode.PERMISSION_DENIED, "etcdserver: permission denied"),
    ROLE_NOT_GRANTED(10, GrpcCode.FAILED_PRECONDITION, "etcdserver: role is not granted to the user"),
    PERMISSION_NOT_GRANTED(11, GrpcCode.FAILED_PRECONDITION, "etcdserver: permission is not granted to the role"),
    AUTH_NOT_ENABLED(12, GrpcCode.FAILED_PRECONDITION, "etcdserver: authentication is not enabled"),
    INVALID_AUTH_MGMT(13, GrpcCode.INVALID_ARGUMENT, "etcdserver: invalid auth management"),
    /** The node checked the caller at an older auth revision than the entry applies at; the node retries. */
    AUTH_OLD_REVISION(14, GrpcCode.INVALID_ARGUMENT, "etcdserver: revision of auth store is old"),
    AUTH_FAILED(15, GrpcCode.INVALID_ARGUMENT, "etcdserver: authentication failed, invalid user ID or password");

    private static final AuthError[] BY_WIRE_ID = values();

    private final int wireId;
    private final int grpcCode;
    private final String message;

    AuthError(int wireId, int grpcCode, String message) {
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

    /** @return the error with this wire id, or null for an unknown id */
    public static AuthError fromWireId(int wireId) {
        return wireId >= 0 && wireId < BY_WIRE_ID.length ? BY_WIRE_ID[wireId] : null;
    }

    /** gRPC status codes used above. */
    public static final class GrpcCode {
        public static final int INVALID_ARGUMENT = 3;
        public static final int PERMISSION_DENIED = 7;
        public static final int FAILED_PRECONDITION = 9;

        private GrpcCode() {
        }
    }
}
