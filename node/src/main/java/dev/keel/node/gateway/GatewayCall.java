package dev.keel.node.gateway;

import com.google.gson.JsonObject;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * A gRPC server call whose other end is an HTTP response: what the service sends is written as etcd's gateway
 * writes it. A unary answer is one JSON object; a streamed answer (watch, keepalive) is one
 * {@code {"result":{...}}} object per line, and an error after the first becomes an in-stream
 * {@code {"error":{...}}} line, as grpc-gateway writes them. Callable from any thread; the methods are
 * synchronized because a service may answer from its own executor while the client goes away.
 *
 * <p>Flow control is gRPC's contract: {@link #isReady} is false while more than {@link #READY_BYTES} written to
 * the HTTP response have not been taken by the connection yet (Armeria takes the next piece only once the last one
 * reached the socket, so a client that does not read stops the taking), and the on-ready handler runs once they
 * drain below it. A service that sends only while ready (the Watch service) then keeps its own bound for an HTTP
 * client as for a gRPC one, instead of the response stream queueing without limit.
 */
final class GatewayCall<Q, R> extends ServerCall<Q, R> {
    /** The unconsumed bytes above which the call is not ready: gRPC's default on-ready threshold. */
    static final int READY_BYTES = 32 * 1024;

    private final MethodDescriptor<Q, R> method;
    private final HttpResponseWriter out;
    private final boolean streamed;
    private final GatewayInbound<Q> inbound;
    /** Bytes handed to the response that the connection has not taken yet. */
    private long unconsumed;
    private boolean headersWritten;
    private boolean closed;
    private volatile boolean cancelled;
    private R unaryAnswer;

    /** @param inbound delivers the request messages the service asks for, and the on-ready callbacks */
    GatewayCall(MethodDescriptor<Q, R> method, HttpResponseWriter out, GatewayInbound<Q> inbound) {
        this.method = method;
        this.out = out;
        this.inbound = inbound;
        this.streamed = !method.getType().serverSendsOneMessage();
    }

    @Override
    public void request(int numMessages) {
        inbound.request(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {
        // grpc-gateway writes the HTTP headers with the first message (or the error), not before.
    }

    @Override
    public synchronized void sendMessage(R message) {
        if (closed || cancelled) {
            return;
        }
        if (!streamed) {
            unaryAnswer = message;
            return;
        }
        writeHeaders(HttpStatus.OK);
        write(HttpData.ofUtf8("{\"result\":" + json(message) + "}\n"));
    }

    @Override
    public synchronized boolean isReady() {
        return !closed && !cancelled && unconsumed <= READY_BYTES;
    }

    /** Writes a streamed piece, counting it as unconsumed until the connection took it. */
    private void write(HttpData data) {
        int n = data.length();
        if (!out.tryWrite(data)) {
            return; // the response is already closed (the client went away)
        }
        unconsumed += n;
        // Completes once everything written so far was taken and the connection asks for more.
        out.whenConsumed().thenRun(() -> consumed(n));
    }

    private void consumed(int n) {
        boolean drained;
        synchronized (this) {
            boolean wasReady = unconsumed <= READY_BYTES;
            unconsumed -= n;
            drained = !wasReady && unconsumed <= READY_BYTES && !closed && !cancelled;
        }
        if (drained) {
            inbound.ready(); // scheduled, never inline: this may run while the service is inside sendMessage
        }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
        if (closed) {
            return;
        }
        closed = true;
        if (cancelled) {
            return;
        }
        if (streamed) {
            if (!status.isOk()) {
                HttpStatus http = HttpCodes.of(status.getCode());
                writeHeaders(http);
                JsonObject e = new JsonObject();
                e.addProperty("grpc_code", status.getCode().value());
                e.addProperty("http_code", http.code());
                e.addProperty("message", text(status));
                e.addProperty("http_status", http.reasonPhrase());
                JsonObject chunk = new JsonObject();
                chunk.add("error", e);
                write(HttpData.ofUtf8(GatewayResponses.json(chunk) + "\n"));
            } else {
                writeHeaders(HttpStatus.OK);
            }
            out.close();
        } else if (status.isOk()) {
            String body = unaryAnswer == null ? "{}" : json(unaryAnswer);
            GatewayResponses.writeJson(out, HttpStatus.OK, body, true);
        } else {
            GatewayResponses.writeError(out, status.getCode(), text(status));
        }
    }

    /** Ends the call before the service saw it (the body could not be read or parsed). */
    synchronized void refuse(Status status) {
        if (closed || cancelled) {
            return;
        }
        closed = true;
        // Nothing was written yet, so even a stream answers as grpc-gateway does for a request it could not start.
        GatewayResponses.writeError(out, status.getCode(), text(status));
    }

    /** The client went away: the service hears of it through its listener, nothing more is written. */
    void cancelled() {
        cancelled = true;
    }

    synchronized boolean done() {
        return closed || cancelled;
    }

    private String json(R message) {
        return GatewayJson.print(Etcd34Shapes.reshape(method.getFullMethodName(), (Message) message));
    }

    private void writeHeaders(HttpStatus status) {
        if (!headersWritten) {
            headersWritten = true;
            out.tryWrite(GatewayResponses.jsonHeaders(status, true).build());
        }
    }

    private static String text(Status s) {
        return s.getDescription() == null ? "" : s.getDescription();
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public Attributes getAttributes() {
        return Attributes.EMPTY;
    }

    @Override
    public String getAuthority() {
        return null;
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
        return method;
    }
}
