package dev.keel.harness.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * How a client error is recorded. A read that failed changed nothing, so it is {@code :fail}. A write is
 * {@code :fail} only when etcd's answer proves it was refused before it could take effect (bad argument, a
 * failed precondition, no permission); a timeout, a dropped connection, "no leader" after forwarding, or
 * anything unknown is {@code :info}.
 */
public final class Failures {
    private Failures() {
    }

    /** How an operation ended. */
    public enum Fate { FAIL, INFO }

    /** @return the fate of a write that threw {@code error} */
    public static Fate ofWrite(Throwable error) {
        Status.Code code = Status.fromThrowable(error).getCode();
        return switch (code) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION, PERMISSION_DENIED, UNAUTHENTICATED, OUT_OF_RANGE,
                 NOT_FOUND, ALREADY_EXISTS, UNIMPLEMENTED -> Fate.FAIL;
            default -> Fate.INFO;
        };
    }

    /** @return a short description for the history's {@code :error}: the gRPC code and etcd's text */
    public static String describe(Throwable error) {
        if (error instanceof StatusRuntimeException s) {
            String text = s.getStatus().getDescription();
            return s.getStatus().getCode() + (text == null ? "" : ": " + text);
        }
        Status status = Status.fromThrowable(error);
        if (status.getCode() != Status.Code.UNKNOWN || status.getDescription() != null) {
            return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
        }
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }
}
