package dev.keel.node.gateway;

import com.linecorp.armeria.common.HttpStatus;
import io.grpc.Status;

/** The HTTP status grpc-gateway (v1, as in etcd 3.4) answers for each gRPC code; checked against etcd 3.4.23. */
final class HttpCodes {
    private HttpCodes() {
    }

    static HttpStatus of(Status.Code code) {
        return switch (code) {
            case OK -> HttpStatus.OK;
            case CANCELLED -> HttpStatus.REQUEST_TIMEOUT;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> HttpStatus.BAD_REQUEST;
            case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case ALREADY_EXISTS, ABORTED -> HttpStatus.CONFLICT;
            case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case RESOURCE_EXHAUSTED -> HttpStatus.TOO_MANY_REQUESTS;
            case FAILED_PRECONDITION -> HttpStatus.PRECONDITION_FAILED;
            case UNIMPLEMENTED -> HttpStatus.NOT_IMPLEMENTED;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case UNKNOWN, INTERNAL, DATA_LOSS -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }
}
