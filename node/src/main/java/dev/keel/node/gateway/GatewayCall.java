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
 */
final class GatewayCall<Q, R> extends ServerCall<Q, R> {
    private final MethodDescriptor<Q, R> method;
    private final HttpResponseWriter out;
    private final boolean streamed;
    private boolean headersWritten;
    private boolean closed;
    private volatile boolean cancelled;
    private R unaryAnswer;

    GatewayCall(MethodDescriptor<Q, R> method, HttpResponseWriter out) {
        this.method = method;
        this.out = out;
        this.streamed = !method.getType().serverSendsOneMessage();
    }

    @Override
    public void request(int numMessages) {
        // The whole body is read before the first message is delivered; there is nothing to pace.
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
        out.tryWrite(HttpData.ofUtf8("{\"result\":" + json(message) + "}\n"));
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
                out.tryWrite(HttpData.ofUtf8(GatewayResponses.json(chunk) + "\n"));
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
