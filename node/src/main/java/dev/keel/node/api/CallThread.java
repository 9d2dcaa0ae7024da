package dev.keel.node.api;

import com.linecorp.armeria.server.ServiceRequestContext;

import java.util.concurrent.Executor;

/** The thread a gRPC call's answer is written on: its event loop (or the caller's, outside a server). */
final class CallThread {
    private CallThread() {
    }

    static Executor current() {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        return ctx == null ? Runnable::run : ctx.eventLoop();
    }
}
