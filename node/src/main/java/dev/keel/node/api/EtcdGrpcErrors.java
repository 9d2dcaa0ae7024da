package dev.keel.node.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;
import io.grpc.Metadata;
import io.grpc.Status;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives the failures that happen before a request reaches a service (reading the gRPC frame, parsing the
 * protobuf) etcd's gRPC codes and texts, which are grpc-go's, instead of Armeria's: clients and operators match
 * on them. Measured against etcd 3.4.23:
 * <ul>
 * <li>a message over the receive limit: RESOURCE_EXHAUSTED "grpc: received message larger than max (N vs. M)";</li>
 * <li>a frame shorter than its length prefix: UNKNOWN "unexpected EOF";</li>
 * <li>the compressed flag without a {@code grpc-encoding}: INTERNAL "grpc: compressed flag set with identity or
 * empty encoding";</li>
 * <li>bytes that do not parse: INTERNAL "grpc: error unmarshalling request: ..." (on a streaming call, grpc-go's
 * "grpc: failed to unmarshal the received message ..."), ending in "unexpected EOF" for a truncated message as
 * etcd's parser says, and in protobuf-java's own reason otherwise (etcd's gogo/protobuf words those differently;
 * see docs/compatibility.md).</li>
 * </ul>
 * Anything else keeps Armeria's status.
 */
public final class EtcdGrpcErrors implements GrpcExceptionHandlerFunction {
    private static final Pattern FRAME_TOO_LARGE = Pattern.compile("Frame size (\\d+) exceeds maximum: (\\d+)");
    private static final String UNMARSHAL = "grpc: error unmarshalling request: ";
    private static final String UNMARSHAL_RECEIVED = "grpc: failed to unmarshal the received message ";
    /** etcd's calls whose requests grpc-go reads with a stream's RecvMsg (its other wording). */
    private static final java.util.Set<String> STREAMING = java.util.Set.of("/etcdserverpb.Watch/Watch",
            "/etcdserverpb.Lease/LeaseKeepAlive", "/etcdserverpb.Maintenance/Snapshot");
    private static final String UNEXPECTED_EOF = "unexpected EOF";

    @Override
    public Status apply(RequestContext ctx, Status status, Throwable cause, Metadata metadata) {
        String description = status.getDescription() == null ? "" : status.getDescription();
        Matcher tooLarge = FRAME_TOO_LARGE.matcher(description);
        if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED && tooLarge.find()) {
            return Status.RESOURCE_EXHAUSTED.withDescription("grpc: received message larger than max ("
                    + tooLarge.group(1) + " vs. " + tooLarge.group(2) + ")");
        }
        if (status.getCode() == Status.Code.INTERNAL && description.contains("compression not configured")) {
            return Status.INTERNAL.withDescription("grpc: compressed flag set with identity or empty encoding");
        }
        if (cause instanceof IndexOutOfBoundsException && thrownByDeframer(cause)) {
            return Status.UNKNOWN.withDescription(UNEXPECTED_EOF);
        }
        InvalidProtocolBufferException parse = parseFailure(cause);
        if (parse != null) {
            String prefix = ctx != null && STREAMING.contains(ctx.path()) ? UNMARSHAL_RECEIVED : UNMARSHAL;
            return Status.INTERNAL.withDescription(prefix + goText(parse));
        }
        return status;
    }

    /** Armeria's deframer reads past the end of a frame that ends before its length prefix says. */
    private static boolean thrownByDeframer(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().endsWith("MessageDeframer")) {
                return true;
            }
        }
        return false;
    }

    private static InvalidProtocolBufferException parseFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof InvalidProtocolBufferException e) {
                return e;
            }
        }
        return null;
    }

    /** protobuf-java says "truncated" where Go's parsers say io.ErrUnexpectedEOF. */
    private static String goText(InvalidProtocolBufferException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return message.contains("input ended unexpectedly") || message.contains("truncated")
                ? UNEXPECTED_EOF : message;
    }
}
