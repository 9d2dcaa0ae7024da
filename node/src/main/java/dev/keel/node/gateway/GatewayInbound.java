package dev.keel.node.gateway;

import com.linecorp.armeria.common.util.SafeCloseable;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.ServerCall;
import io.grpc.Status;

import java.util.List;

/**
 * The request side of one gateway call: the messages parsed from the body, delivered to the service's listener
 * as the service asks for them (gRPC's {@code request(n)}), then the half-close once the last one is delivered,
 * and the on-ready callbacks; all on the call's event loop with its context current, never re-entrantly. A
 * service that paces what it takes (the Lease service's keepalives) is thus paced over HTTP as over gRPC.
 */
final class GatewayInbound<Q> {
    private final ServiceRequestContext ctx;
    private final List<Q> messages;
    private GatewayCall<Q, ?> call;
    private ServerCall.Listener<Q> listener;
    private int next;
    private long demand;
    private boolean delivering;
    private boolean halfClosed;

    /** @param messages the body's messages; filled before {@link #start} */
    GatewayInbound(ServiceRequestContext ctx, List<Q> messages) {
        this.ctx = ctx;
        this.messages = messages;
    }

    /** Event loop: the service accepted the call; delivers what it asked for so far. */
    void start(GatewayCall<Q, ?> c, ServerCall.Listener<Q> l) {
        this.call = c;
        this.listener = l;
        guarded(l::onReady);
        deliver();
    }

    /** Any thread: the service asks for {@code n} more messages. */
    void request(int n) {
        onLoop(() -> {
            demand += n;
            deliver();
        });
    }

    /** Any thread: the response drained, the service may send again. */
    void ready() {
        ctx.eventLoop().execute(() -> {
            try (SafeCloseable ignored = ctx.push()) {
                if (listener != null && !call.done()) {
                    guarded(listener::onReady);
                }
            }
        });
    }

    /** Any thread: the client went away. */
    void cancelled() {
        ctx.eventLoop().execute(() -> {
            try (SafeCloseable ignored = ctx.push()) {
                if (listener != null) {
                    listener.onCancel();
                }
            }
        });
    }

    private void deliver() {
        if (listener == null || delivering) {
            return; // the loop below picks the new demand up
        }
        delivering = true;
        try {
            while (!call.done() && demand > 0 && next < messages.size()) {
                demand--;
                Q m = messages.get(next++);
                guarded(() -> listener.onMessage(m));
            }
            if (!halfClosed && !call.done() && next == messages.size()) {
                halfClosed = true;
                guarded(listener::onHalfClose);
            }
        } finally {
            delivering = false;
        }
    }

    private void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            call.refuse(Status.fromThrowable(e));
        }
    }

    private void onLoop(Runnable r) {
        if (ctx.eventLoop().inEventLoop()) {
            r.run();
        } else {
            ctx.eventLoop().execute(() -> {
                try (SafeCloseable ignored = ctx.push()) {
                    r.run();
                }
            });
        }
    }
}
