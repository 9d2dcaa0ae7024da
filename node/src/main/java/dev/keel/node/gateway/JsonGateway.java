package dev.keel.node.gateway;

import com.google.protobuf.Message;
import dev.keel.node.auth.AuthInterceptor;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.common.util.SafeCloseable;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd 3.4's HTTP+JSON gateway: {@code POST /v3/<path>} with a JSON body calls the gRPC method the path maps to
 * ({@link GatewayRoutes}) on the node's own service implementations, in process, with no extra socket. It is
 * generic: every method of every service definition given to it is reachable, so services added to the node
 * appear here without more work; a path whose service is absent answers UNIMPLEMENTED as grpc-go words it.
 *
 * <p>The call runs on the request's event loop with its context current, exactly as a gRPC call through Armeria
 * does, so services answer on that loop and never on the kernel thread. The body is read whole (bounded by
 * {@code 2 × (--max-request-bytes + gRPC overhead)}) before the first message is delivered; the messages then
 * go to the service as it asks for them ({@link GatewayInbound}), and the answer keeps gRPC's flow control
 * ({@link GatewayCall#isReady}), so a slow HTTP client is held to the service's own bounds.
 */
public final class JsonGateway implements HttpService {
    /**
     * How long a request body may take to arrive. Every gateway route reads its body whole before the call
     * starts (a watch's responses stream afterwards, untimed), so this bounds only the upload: a client sending
     * a few bytes a second would otherwise hold its stream and buffer forever (the server has no request timeout,
     * for watches). 15 s matches Armeria's idle-connection timeout; the largest body (2 × 2 MiB) then needs
     * about 280 KB/s.
     */
    public static final long BODY_TIMEOUT_MILLIS = 15_000;
    private static final Logger LOG = LoggerFactory.getLogger("keel");
    private final Map<String, ServerMethodDefinition<?, ?>> methods = new HashMap<>();
    private final Set<String> services = new HashSet<>();
    private final int maxMessageBytes;

    /**
     * @param definitions     the services as the gRPC server serves them (interceptors included)
     * @param maxMessageBytes the gRPC server's receive limit, which each request message must also respect
     */
    public JsonGateway(List<ServerServiceDefinition> definitions, int maxMessageBytes) {
        for (ServerServiceDefinition d : definitions) {
            services.add(d.getServiceDescriptor().getName());
            for (ServerMethodDefinition<?, ?> m : d.getMethods()) {
                methods.put(m.getMethodDescriptor().getFullMethodName(), m);
            }
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /** @return the path prefixes to mount the gateway under */
    public static String[] prefixes() {
        return GatewayRoutes.prefixes();
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        if (req.method() == HttpMethod.OPTIONS) {
            return HttpResponse.of(GatewayResponses.cors(ResponseHeaders.builder(HttpStatus.OK)).build());
        }
        String name = GatewayRoutes.method(ctx.path());
        if (name == null) {
            return GatewayResponses.plain(HttpStatus.NOT_FOUND, "Not Found");
        }
        if (req.method() != HttpMethod.POST) {
            return GatewayResponses.plain(HttpStatus.METHOD_NOT_ALLOWED, "Method Not Allowed");
        }
        ServerMethodDefinition<?, ?> method = methods.get(name);
        if (method == null) {
            return GatewayResponses.error(Status.Code.UNIMPLEMENTED, unimplemented(name));
        }
        long cap = 2L * maxMessageBytes;
        long declared = req.headers().contentLength();
        if (declared > cap) {
            // Refused unread (Armeria would answer a bare 413); etcd's gRPC server refuses it with this status.
            LOG.warn("gateway: refused {} from {}: Content-Length {} over the cap {}", ctx.path(),
                    ctx.remoteAddress(), declared, cap);
            return GatewayResponses.error(Status.Code.RESOURCE_EXHAUSTED, tooLargeText(declared));
        }
        ctx.setMaxRequestLength(cap);
        HttpResponseWriter out = HttpResponse.streaming();
        CompletableFuture<AggregatedHttpRequest> aggregated = req.aggregate();
        var bodyTimer = ctx.eventLoop().schedule(() -> {
            if (!aggregated.isDone()) {
                req.abort(new TimeoutException("request body not received within " + BODY_TIMEOUT_MILLIS + " ms"));
            }
        }, BODY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        aggregated.handleAsync((body, failure) -> {
            bodyTimer.cancel(false);
            try (SafeCloseable ignored = ctx.push()) {
                if (failure != null) {
                    tooLarge(ctx, out, Exceptions.peel(failure), req.headers().contentLength(), cap);
                } else {
                    invoke(ctx, method, body, out);
                }
            } catch (RuntimeException e) {
                GatewayResponses.writeError(out, Status.Code.INTERNAL, String.valueOf(e.getMessage()));
            }
            return null;
        }, ctx.eventLoop());
        return out;
    }

    private String unimplemented(String fullName) {
        int slash = fullName.indexOf('/');
        String service = fullName.substring(0, slash);
        return services.contains(service)
                ? "unknown method " + fullName.substring(slash + 1) + " for service " + service
                : "unknown service " + service;
    }

    private void tooLarge(ServiceRequestContext ctx, HttpResponseWriter out, Throwable failure, long contentLength,
                          long cap) {
        if (failure instanceof ContentTooLargeException) {
            long size = contentLength > 0 ? contentLength : cap + 1;
            LOG.warn("gateway: refused {} from {}: body over the cap {}", ctx.path(), ctx.remoteAddress(), cap);
            GatewayResponses.writeError(out, Status.Code.RESOURCE_EXHAUSTED, tooLargeText(size));
            // Armeria then reads and discards the rest of the body unbuffered until it closes the connection.
        } else if (failure instanceof TimeoutException) {
            // Answered in case the client still reads; the stream is then closed whatever it does.
            LOG.warn("gateway: refused {} from {}: {}", ctx.path(), ctx.remoteAddress(), failure.getMessage());
            GatewayResponses.writeError(out, Status.Code.DEADLINE_EXCEEDED, failure.getMessage());
        } else {
            out.abort(failure); // the client went away while sending
        }
    }

    private String tooLargeText(long size) {
        return "grpc: received message larger than max (" + size + " vs. " + maxMessageBytes + ")";
    }

    /**
     * The HTTP headers etcd's grpc-gateway forwards as gRPC metadata: {@code Authorization} carries the token
     * (etcd's TokenFieldNameSwagger), which the services' auth interceptor reads as the {@code token} metadata.
     */
    private static Metadata forwardedHeaders(ServiceRequestContext ctx) {
        Metadata md = new Metadata();
        String authorization = ctx.request().headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null) {
            md.put(AuthInterceptor.AUTHORIZATION, authorization);
        }
        return md;
    }

    @SuppressWarnings("unchecked")
    private <Q, R> void invoke(ServiceRequestContext ctx, ServerMethodDefinition<Q, R> method,
                               AggregatedHttpRequest body, HttpResponseWriter out) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        if (!(descriptor.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<Q> marshaller)
                || !(marshaller.getMessagePrototype() instanceof Message prototype)) {
            GatewayResponses.writeError(out, Status.Code.UNIMPLEMENTED, unimplemented(descriptor.getFullMethodName()));
            return;
        }
        boolean clientStreams = !descriptor.getType().clientSendsOneMessage();
        List<Q> requests = new ArrayList<>();
        GatewayInbound<Q> inbound = new GatewayInbound<>(ctx, requests);
        GatewayCall<Q, R> call = new GatewayCall<>(descriptor, out, inbound);
        JsonValues values = new JsonValues(body.contentUtf8());
        try {
            do {
                String value = values.next();
                if (value == null && clientStreams) {
                    break; // an empty stream body sends nothing, as Go's decoder meets EOF at once
                }
                Message m = GatewayJson.parse(value, prototype);
                if (m.getSerializedSize() > maxMessageBytes) {
                    call.refuse(Status.RESOURCE_EXHAUSTED.withDescription(tooLargeText(m.getSerializedSize())));
                    return;
                }
                requests.add((Q) m);
            } while (clientStreams && values.hasNext());
        } catch (GatewayJsonException e) {
            if (requests.isEmpty()) {
                // grpc-gateway: a unary body that does not decode is INVALID_ARGUMENT; a stream's first message
                // that does not decode is returned as a plain error, UNKNOWN. A later one just ends the sending.
                call.refuse((clientStreams ? Status.UNKNOWN : Status.INVALID_ARGUMENT).withDescription(e.getMessage()));
                return;
            }
        }
        start(method, call, inbound, out, forwardedHeaders(ctx));
    }

    private <Q, R> void start(ServerMethodDefinition<Q, R> method, GatewayCall<Q, R> call, GatewayInbound<Q> inbound,
                              HttpResponseWriter out, Metadata headers) {
        ServerCall.Listener<Q> listener;
        try {
            listener = method.getServerCallHandler().startCall(call, headers);
        } catch (RuntimeException e) {
            call.refuse(Status.fromThrowable(e));
            return;
        }
        out.whenComplete().handle((ok, failure) -> {
            if (failure != null && !call.done()) {
                call.cancelled();
                inbound.cancelled();
            }
            return null;
        });
        inbound.start(call, listener);
    }
}
