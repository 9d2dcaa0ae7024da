package dev.keel.node.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * etcd's gRPC server counters (go-grpc-prometheus): {@code grpc_server_started_total},
 * {@code grpc_server_handled_total} (by code, in Go's code names), {@code grpc_server_msg_received_total} and
 * {@code grpc_server_msg_sent_total}. An interceptor on every service, so calls through the JSON gateway count as
 * in etcd, whose gateway calls its own gRPC server.
 */
public final class GrpcMetrics implements ServerInterceptor {
    private final Map<String, LongAdder> started = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> handled = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        MethodDescriptor<Q, R> m = call.getMethodDescriptor();
        String key = type(m.getType()) + '\t' + m.getServiceName() + '\t' + m.getBareMethodName();
        add(started, key);
        ServerCall<Q, R> counted = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
                add(sent, key);
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                add(handled, key + '\t' + goName(status.getCode()));
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
            @Override
            public void onMessage(Q message) {
                add(received, key);
                super.onMessage(message);
            }
        };
    }

    private static void add(Map<String, LongAdder> counters, String key) {
        counters.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Writes the four families. */
    void writeTo(MetricsText out) {
        write(out, "grpc_server_started_total", "Total number of RPCs started on the server.", started);
        write(out, "grpc_server_handled_total",
                "Total number of RPCs completed on the server, regardless of success or failure.", handled);
        write(out, "grpc_server_msg_received_total", "Total number of RPC stream messages received on the server.",
                received);
        write(out, "grpc_server_msg_sent_total", "Total number of gRPC stream messages sent by the server.", sent);
    }

    private static void write(MetricsText out, String name, String help, Map<String, LongAdder> counters) {
        out.family(name, "counter", help);
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(counters).entrySet()) {
            String[] k = e.getKey().split("\t");
            if (k.length == 4) {
                out.sample(name, e.getValue().sum(), "grpc_code", k[3], "grpc_method", k[2], "grpc_service", k[1],
                        "grpc_type", k[0]);
            } else {
                out.sample(name, e.getValue().sum(), "grpc_method", k[2], "grpc_service", k[1], "grpc_type", k[0]);
            }
        }
    }

    private static String type(MethodDescriptor.MethodType t) {
        return switch (t) {
            case UNARY -> "unary";
            case CLIENT_STREAMING -> "client_stream";
            case SERVER_STREAMING -> "server_stream";
            default -> "bidi_stream";
        };
    }

    /** grpc-go's names for codes (codes.Code.String()), which etcd's labels carry. */
    public static String goName(Status.Code code) {
        return switch (code) {
            case OK -> "OK";
            case CANCELLED -> "Canceled";
            case UNKNOWN -> "Unknown";
            case INVALID_ARGUMENT -> "InvalidArgument";
            case DEADLINE_EXCEEDED -> "DeadlineExceeded";
            case NOT_FOUND -> "NotFound";
            case ALREADY_EXISTS -> "AlreadyExists";
            case PERMISSION_DENIED -> "PermissionDenied";
            case RESOURCE_EXHAUSTED -> "ResourceExhausted";
            case FAILED_PRECONDITION -> "FailedPrecondition";
            case ABORTED -> "Aborted";
            case OUT_OF_RANGE -> "OutOfRange";
            case UNIMPLEMENTED -> "Unimplemented";
            case INTERNAL -> "Internal";
            case UNAVAILABLE -> "Unavailable";
            case DATA_LOSS -> "DataLoss";
            case UNAUTHENTICATED -> "Unauthenticated";
        };
    }
}
