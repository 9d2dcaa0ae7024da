package dev.keel.node.auth;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.keel.node.tls.ClientCertificates;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLSession;

/**
 * Finds who is calling, as etcd 3.4's {@code AuthInfoFromCtx}: when auth is enabled, the {@code token} metadata
 * (or {@code authorization}, what etcd's gateway forwards) names the user through the token provider; without a
 * token, and with {@code --client-cert-auth}, the CN of the verified client certificate is the user
 * ({@code AuthInfoFromTLS}). The user and the auth revision go into the gRPC {@link Context}
 * ({@link CallerIdentity#USER}, {@link #REVISION}) for the services to put into the kernel request.
 * An unknown or expired token fails the call with etcd's ErrGRPCInvalidAuthToken, except on the calls etcd
 * serves without looking at the token (Authenticate, Status and the Cluster service).
 */
public final class AuthInterceptor implements ServerInterceptor {
    /** The auth revision the caller's token (or certificate) was checked at; absent without a user. */
    public static final Context.Key<Long> REVISION = Context.key("keel-auth-revision");
    /** etcd's {@code TokenFieldNameGRPC}. */
    public static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    /** etcd's {@code TokenFieldNameSwagger}: the gateway's {@code Authorization} header. */
    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** etcd's ErrGRPCInvalidAuthToken. */
    public static final Status INVALID_AUTH_TOKEN =
            Status.UNAUTHENTICATED.withDescription("etcdserver: invalid auth token");
    private static final Set<String> TOKEN_IGNORED = Set.of("etcdserverpb.Auth/Authenticate",
            "etcdserverpb.Maintenance/Status");

    private final BooleanSupplier authEnabled;
    private final LongSupplier authRevision;
    private final AuthTokens tokens;
    private final boolean clientCertAuth;

    /**
     * @param authEnabled    whether auth is currently on (applied state, read without the kernel thread)
     * @param authRevision   the applied auth revision, given to certificate users as etcd does
     * @param tokens         the token provider of {@code --auth-token}
     * @param clientCertAuth {@code --client-cert-auth}: whether a verified certificate's CN may name the user
     */
    public AuthInterceptor(BooleanSupplier authEnabled, LongSupplier authRevision, AuthTokens tokens,
            boolean clientCertAuth) {
        this.authEnabled = authEnabled;
        this.authRevision = authRevision;
        this.tokens = tokens;
        this.clientCertAuth = clientCertAuth;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (!authEnabled.getAsBoolean()) {
            return next.startCall(call, headers); // etcd ignores tokens while auth is off
        }
        String method = call.getMethodDescriptor().getFullMethodName();
        String token = headers.get(TOKEN);
        if (token == null) {
            token = headers.get(AUTHORIZATION);
        }
        Optional<TokenInfo> caller;
        if (token != null) {
            caller = tokens.resolve(token);
            if (caller.isEmpty()) {
                if (TOKEN_IGNORED.contains(method) || method.startsWith("etcdserverpb.Cluster/")) {
                    return next.startCall(call, headers);
                }
                call.close(INVALID_AUTH_TOKEN, new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
        } else {
            caller = clientCertAuth ? certificateUser(sslSession(call))
                    : Optional.empty();
        }
        if (caller.isEmpty()) {
            return next.startCall(call, headers);
        }
        Context ctx = Context.current().withValues(CallerIdentity.USER, caller.get().user(), REVISION,
                caller.get().revision());
        return Contexts.interceptCall(ctx, call, headers, next);
    }

    /** Armeria puts the session in the call's attributes; its request context has it too. */
    private static SSLSession sslSession(ServerCall<?, ?> call) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        ServiceRequestContext armeria = ServiceRequestContext.currentOrNull();
        return session != null || armeria == null ? session : armeria.sslSession();
    }

    private Optional<TokenInfo> certificateUser(SSLSession session) {
        return commonName(session).map(cn -> new TokenInfo(cn, authRevision.getAsLong()));
    }

    /**
     * The CN of a TLS session's verified peer certificate, as etcd's AuthInfoFromTLS takes it.
     *
     * @return the CN, or empty when there is no session, no verified certificate, or no non-empty CN
     */
    static Optional<String> commonName(SSLSession session) {
        return ClientCertificates.commonName(session).filter(cn -> !cn.isEmpty());
    }
}
