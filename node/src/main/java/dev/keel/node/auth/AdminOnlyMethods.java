package dev.keel.node.auth;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.keel.kernel.auth.AuthError;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * etcd 3.4's {@code authMaintenanceServer}: Defragment, Snapshot, Hash and HashKV need the root role when auth
 * is on ({@code IsAdminPermitted}; etcd 3.4.23 does not check MoveLeader). etcd returns the auth package's own
 * error there, unconverted: code Unknown and text {@code auth: permission denied} (not {@code etcdserver: ...}),
 * and so does Keel. The check reads the auth store on the kernel thread, so the call
 * is started only once it answers: the single request message and the half-close are held until then (these
 * calls are unary or server-streaming), on the call's event loop.
 */
public final class AdminOnlyMethods implements ServerInterceptor {
    private static final Set<String> ADMIN_ONLY = Set.of("etcdserverpb.Maintenance/Defragment",
            "etcdserverpb.Maintenance/Snapshot", "etcdserverpb.Maintenance/Hash",
            "etcdserverpb.Maintenance/HashKV");
    private static final String GRPC_PREFIX = "etcdserver: ";

    private final BooleanSupplier authEnabled;
    private final AuthCalls calls;

    /**
     * @param authEnabled whether auth is on (applied state); when off nothing is checked, as in etcd
     * @param calls       the kernel-thread admin check
     */
    public AdminOnlyMethods(BooleanSupplier authEnabled, AuthCalls calls) {
        this.authEnabled = authEnabled;
        this.calls = calls;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        if (!authEnabled.getAsBoolean() || !ADMIN_ONLY.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        ServiceRequestContext armeria = ServiceRequestContext.currentOrNull();
        Executor callThread = armeria == null ? Runnable::run : armeria.eventLoop();
        return new HeldUntilChecked<>(call, headers, next, callThread);
    }

    /** Holds the request until the admin check answers, then starts the call or closes it with etcd's error. */
    private final class HeldUntilChecked<Q, R> extends ServerCall.Listener<Q> {
        private final ServerCall<Q, R> call;
        private final Metadata headers;
        private final ServerCallHandler<Q, R> next;
        private final Executor callThread;
        private Q request;
        private boolean cancelled;

        HeldUntilChecked(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next, Executor thread) {
            this.call = call;
            this.headers = headers;
            this.next = next;
            this.callThread = thread;
        }

        @Override
        public void onMessage(Q message) {
            request = message;
        }

        @Override
        public void onHalfClose() {
            Context context = Context.current();
            String user = CallerIdentity.USER.get();
            calls.checkAdmin(user == null ? "" : user).whenCompleteAsync((error, failure) -> context.run(() -> {
                if (cancelled) {
                    return;
                }
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    call.close(cause instanceof StatusRuntimeException s ? s.getStatus()
                            : Status.INTERNAL.withDescription(String.valueOf(cause)), new Metadata());
                } else if (error != AuthError.OK) {
                    call.close(Status.UNKNOWN.withDescription(authPackageText(error)), new Metadata());
                } else {
                    ServerCall.Listener<Q> started = next.startCall(call, headers);
                    if (request != null) {
                        started.onMessage(request);
                    }
                    started.onHalfClose();
                    started.onReady();
                }
            }), callThread);
        }

        /** etcd's {@code auth.Err...} text: the rpctypes text with "auth: " for "etcdserver: ". */
        private static String authPackageText(AuthError error) {
            String text = error.message();
            return "auth: " + (text.startsWith(GRPC_PREFIX) ? text.substring(GRPC_PREFIX.length()) : text);
        }

        @Override
        public void onCancel() {
            cancelled = true;
        }
    }
}
