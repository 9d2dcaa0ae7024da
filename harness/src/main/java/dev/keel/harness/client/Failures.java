package dev.keel.harness.client;

import com.linecorp.armeria.client.UnprocessedRequestException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.net.ConnectException;

/**
 * How a client error is recorded. A read that failed changed nothing, so it is {@code :fail}. A write is
 * {@code :fail} only when etcd's answer proves it was refused before it could take effect (bad argument, a
 * failed precondition, no permission) or the client proves it never sent it (connection refused); a timeout,
 * a dropped connection, "no leader" after forwarding, or anything unknown is {@code :info}.
 */
public final class Failures {
    private Failures() {
    }

    /** How an operation ended. */
    public enum Fate { FAIL, INFO }

    /** @return the fate of a write that threw {@code error} */
    public static Fate ofWrite(Throwable error) {
        if (neverSent(error)) {
            return Fate.FAIL;
        }
        Status.Code code = Status.fromThrowable(error).getCode();
        return switch (code) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION, PERMISSION_DENIED, UNAUTHENTICATED, OUT_OF_RANGE,
                 NOT_FOUND, ALREADY_EXISTS, UNIMPLEMENTED -> Fate.FAIL;
            default -> Fate.INFO;
        };
    }

    /**
     * @return whether the client proves the request never reached a server: the connection was refused, or the
     *         client gave up before writing it (Armeria's {@code UnprocessedRequestException})
     */
    static boolean neverSent(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof UnprocessedRequestException || t instanceof ConnectException) {
                return true;
            }
        }
        return false;
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
