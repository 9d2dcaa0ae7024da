package dev.keel.node.auth;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.PermissionType;
import dev.keel.kernel.auth.wire.AuthOp;
import dev.keel.kernel.auth.wire.AuthRequest;
import dev.keel.kernel.auth.wire.AuthResponseView;
import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.node.HeaderFacts;
import io.etcd.jetcd.api.AuthDisableRequest;
import io.etcd.jetcd.api.AuthDisableResponse;
import io.etcd.jetcd.api.AuthEnableRequest;
import io.etcd.jetcd.api.AuthEnableResponse;
import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthRoleAddRequest;
import io.etcd.jetcd.api.AuthRoleAddResponse;
import io.etcd.jetcd.api.AuthRoleDeleteRequest;
import io.etcd.jetcd.api.AuthRoleDeleteResponse;
import io.etcd.jetcd.api.AuthRoleGetRequest;
import io.etcd.jetcd.api.AuthRoleGetResponse;
import io.etcd.jetcd.api.AuthRoleGrantPermissionRequest;
import io.etcd.jetcd.api.AuthRoleGrantPermissionResponse;
import io.etcd.jetcd.api.AuthRoleListRequest;
import io.etcd.jetcd.api.AuthRoleListResponse;
import io.etcd.jetcd.api.AuthRoleRevokePermissionRequest;
import io.etcd.jetcd.api.AuthRoleRevokePermissionResponse;
import io.etcd.jetcd.api.AuthUserAddRequest;
import io.etcd.jetcd.api.AuthUserAddResponse;
import io.etcd.jetcd.api.AuthUserChangePasswordRequest;
import io.etcd.jetcd.api.AuthUserChangePasswordResponse;
import io.etcd.jetcd.api.AuthUserDeleteRequest;
import io.etcd.jetcd.api.AuthUserDeleteResponse;
import io.etcd.jetcd.api.AuthUserGetRequest;
import io.etcd.jetcd.api.AuthUserGetResponse;
import io.etcd.jetcd.api.AuthUserGrantRoleRequest;
import io.etcd.jetcd.api.AuthUserGrantRoleResponse;
import io.etcd.jetcd.api.AuthUserListRequest;
import io.etcd.jetcd.api.AuthUserListResponse;
import io.etcd.jetcd.api.AuthUserRevokeRoleRequest;
import io.etcd.jetcd.api.AuthUserRevokeRoleResponse;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.AuthenticateResponse;
import io.etcd.jetcd.api.Permission;
import io.etcd.jetcd.api.ResponseHeader;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * etcd's {@code Auth} service. Every op goes through the log as a {@code RequestType.AUTH} entry wrapped with
 * the caller, so the kernel decides (admin permission, names, roles) with etcd 3.4's rules and texts. Passwords
 * are hashed and checked on the {@link Passwords} pool, never on the kernel thread or an event loop; answers
 * are written on the call's event loop.
 */
public final class AuthService extends AuthGrpc.AuthImplBase {
    private final AuthCalls calls;
    private final Passwords passwords;
    private final AuthTokens tokens;

    /**
     * @param calls     the way to the kernel
     * @param passwords bcrypt on its worker pool
     * @param tokens    the token provider of {@code --auth-token}
     */
    public AuthService(AuthCalls calls, Passwords passwords, AuthTokens tokens) {
        this.calls = calls;
        this.passwords = passwords;
        this.tokens = tokens;
    }

    @Override
    public void authEnable(AuthEnableRequest request, StreamObserver<AuthEnableResponse> out) {
        simple(AuthRequest.of(AuthOp.ENABLE), h -> AuthEnableResponse.newBuilder().setHeader(h).build(), out);
    }

    @Override
    public void authDisable(AuthDisableRequest request, StreamObserver<AuthDisableResponse> out) {
        simple(AuthRequest.of(AuthOp.DISABLE), h -> AuthDisableResponse.newBuilder().setHeader(h).build(), out);
    }

    @Override
    public void userAdd(AuthUserAddRequest request, StreamObserver<AuthUserAddResponse> out) {
        withHash(AuthOp.USER_ADD, request.getName(), request.getPassword(),
                h -> AuthUserAddResponse.newBuilder().setHeader(h).build(), out);
    }

    @Override
    public void userChangePassword(AuthUserChangePasswordRequest request,
                                   StreamObserver<AuthUserChangePasswordResponse> out) {
        withHash(AuthOp.USER_CHANGE_PASSWORD, request.getName(), request.getPassword(),
                h -> AuthUserChangePasswordResponse.newBuilder().setHeader(h).build(), out);
    }

    @Override
    public void userGet(AuthUserGetRequest request, StreamObserver<AuthUserGetResponse> out) {
        call(AuthRequest.named(AuthOp.USER_GET, request.getName()), (a, h) -> AuthUserGetResponse.newBuilder()
                .setHeader(h).addAllRoles(names(a)).build(), out);
    }

    @Override
    public void userList(AuthUserListRequest request, StreamObserver<AuthUserListResponse> out) {
        call(AuthRequest.of(AuthOp.USER_LIST), (a, h) -> AuthUserListResponse.newBuilder()
                .setHeader(h).addAllUsers(names(a)).build(), out);
    }

    @Override
    public void userDelete(AuthUserDeleteRequest request, StreamObserver<AuthUserDeleteResponse> out) {
        simple(AuthRequest.named(AuthOp.USER_DELETE, request.getName()),
                h -> AuthUserDeleteResponse.newBuilder().setHeader(h).build(), out);
    }

    @Override
    public void userGrantRole(AuthUserGrantRoleRequest request, StreamObserver<AuthUserGrantRoleResponse> out) {
        simple(AuthRequest.userRole(AuthOp.USER_GRANT_ROLE, request.getUser(), request.getRole()),
                h -> AuthUserGrantRoleResponse.newBuilder().setHeader(h).build(), out);
    }

    @Override
    public void userRevokeRole(AuthUserRevokeRoleRequest request, StreamObserver<AuthUserRevokeRoleResponse> out) {
        simple(AuthRequest.userRole(AuthOp.USER_REVOKE_ROLE, request.getName(), request.getRole()),
                h -> AuthUserRevokeRoleResponse.newBuilder().setHeader(h).build(), out);
    }

    @Override
    public void roleAdd(AuthRoleAddRequest request, StreamObserver<AuthRoleAddResponse> out) {
        simple(AuthRequest.named(AuthOp.ROLE_ADD, request.getName()),
                h -> AuthRoleAddResponse.newBuilder().setHeader(h).build(), out);
    }

    @Override
    public void roleGet(AuthRoleGetRequest request, StreamObserver<AuthRoleGetResponse> out) {
        call(AuthRequest.named(AuthOp.ROLE_GET, request.getRole()), (a, h) -> AuthRoleGetResponse.newBuilder()
                .setHeader(h).addAllPerm(permissions(a)).build(), out);
    }

    @Override
    public void roleList(AuthRoleListRequest request, StreamObserver<AuthRoleListResponse> out) {
        call(AuthRequest.of(AuthOp.ROLE_LIST), (a, h) -> AuthRoleListResponse.newBuilder()
                .setHeader(h).addAllRoles(names(a)).build(), out);
    }

    @Override
    public void roleDelete(AuthRoleDeleteRequest request, StreamObserver<AuthRoleDeleteResponse> out) {
        simple(AuthRequest.named(AuthOp.ROLE_DELETE, request.getRole()),
                h -> AuthRoleDeleteResponse.newBuilder().setHeader(h).build(), out);
    }

    @Override
    public void roleGrantPermission(AuthRoleGrantPermissionRequest request,
                                    StreamObserver<AuthRoleGrantPermissionResponse> out) {
        Permission perm = request.getPerm();
        int type = perm.getPermTypeValue();
        if (type < 0 || type >= PermissionType.values().length) {
            out.onError(status(AuthError.INVALID_AUTH_MGMT));
            return;
        }
        simple(AuthRequest.permission(AuthOp.ROLE_GRANT_PERMISSION, request.getName(), perm.getKey().toByteArray(),
                        perm.getRangeEnd().toByteArray(), PermissionType.values()[type]),
                h -> AuthRoleGrantPermissionResponse.newBuilder().setHeader(h).build(), out);
    }

    @Override
    public void roleRevokePermission(AuthRoleRevokePermissionRequest request,
                                     StreamObserver<AuthRoleRevokePermissionResponse> out) {
        simple(AuthRequest.permission(AuthOp.ROLE_REVOKE_PERMISSION, request.getRole(),
                        request.getKey().toByteArray(), request.getRangeEnd().toByteArray(), null),
                h -> AuthRoleRevokePermissionResponse.newBuilder().setHeader(h).build(), out);
    }

    /**
     * etcd 3.4's Authenticate: the {@link Authenticator} loop over this member's log; the header is that of the
     * applied AUTHENTICATE entry.
     */
    @Override
    public void authenticate(AuthenticateRequest request, StreamObserver<AuthenticateResponse> out) {
        Executor callThread = callThread();
        CallLog log = new CallLog(AuthCalls.Caller.current());
        new Authenticator(log, passwords, tokens).authenticate(request.getName(), request.getPassword())
                .thenApplyAsync(outcome -> {
                    if (outcome.error() != AuthError.OK) {
                        throw status(outcome.error());
                    }
                    return AuthenticateResponse.newBuilder().setHeader(checked(log.last))
                            .setToken(outcome.token()).build();
                }, callThread)
                .whenCompleteAsync((response, failure) -> finish(response, failure, out), callThread);
    }

    /** One Authenticate call's way to the log; keeps the last applied answer for the response header. */
    private final class CallLog implements Authenticator.AuthLog {
        private final AuthCalls.Caller caller;
        private volatile AuthCalls.Answer last;

        CallLog(AuthCalls.Caller caller) {
            this.caller = caller;
        }

        @Override
        public CompletableFuture<Authenticator.StoredPassword> storedPassword(String user) {
            return calls.passwordOf(user).thenApply(p -> new Authenticator.StoredPassword(p.authEnabled(),
                    p.hash().error() == AuthError.OK ? p.hash().value() : null, p.authRevision()));
        }

        @Override
        public CompletableFuture<Authenticator.Applied> propose(AuthRequest authenticate) {
            return calls.submit(caller, authenticate.toBytes()).thenApply(answer -> {
                last = answer;
                UnsafeBuffer b = new UnsafeBuffer(answer.response());
                AuthError error = AuthResponseView.authError(b, 0, b.capacity());
                if (error != AuthError.OK) {
                    return new Authenticator.Applied(error, null);
                }
                checked(answer); // an MVCC error (not leader, stopping...) fails the call with etcd's status
                AuthResponseView.Authenticated done = AuthResponseView.authenticated(b, 0, b.capacity());
                if (done == null) {
                    throw Status.INTERNAL.withDescription("malformed authenticate response").asRuntimeException();
                }
                return new Authenticator.Applied(AuthError.OK, done);
            });
        }
    }

    /** USER_ADD / USER_CHANGE_PASSWORD: hash on the pool, then propose with the hash. */
    private <R> void withHash(AuthOp op, String user, String password, Function<ResponseHeader, R> build,
                              StreamObserver<R> out) {
        Executor callThread = callThread();
        AuthCalls.Caller caller = AuthCalls.Caller.current();
        passwords.hash(password)
                .thenCompose(hash -> calls.submit(caller, AuthRequest.withPassword(op, user, hash).toBytes()))
                .thenApplyAsync(answer -> build.apply(checked(answer)), callThread)
                .whenCompleteAsync((response, failure) -> finish(response, failure, out), callThread);
    }

    private <R> void simple(AuthRequest request, Function<ResponseHeader, R> build, StreamObserver<R> out) {
        call(request, (answer, header) -> build.apply(header), out);
    }

    /** Proposes {@code request} as the current caller and answers with {@code build} on the call's thread. */
    private <R> void call(AuthRequest request, Builder<R> build, StreamObserver<R> out) {
        Executor callThread = callThread();
        calls.submit(AuthCalls.Caller.current(), request.toBytes())
                .thenApplyAsync(answer -> build.build(answer, checked(answer)), callThread)
                .whenCompleteAsync((response, failure) -> finish(response, failure, out), callThread);
    }

    /** Builds a response from a successful kernel answer and its header. */
    private interface Builder<R> {
        R build(AuthCalls.Answer answer, ResponseHeader header);
    }

    /**
     * @return the response header of a successful answer
     * @throws StatusRuntimeException with etcd's status when the answer is an error
     */
    static ResponseHeader checked(AuthCalls.Answer answer) {
        byte[] r = answer.response();
        UnsafeBuffer b = new UnsafeBuffer(r);
        if (r.length < ResponseLayout.HEADER_LENGTH) {
            throw Status.INTERNAL.withDescription("not a kernel response: " + r.length + " bytes").asRuntimeException();
        }
        AuthError auth = AuthResponseView.authError(b, 0, r.length);
        if (auth != AuthError.OK) {
            throw status(auth);
        }
        int wire = b.getByte(ResponseLayout.ERROR_OFFSET) & 0xFF;
        if (wire != 0) {
            MvccError mvcc = MvccError.fromWireId(wire);
            throw mvcc == null ? Status.INTERNAL.withDescription("unknown error " + wire).asRuntimeException()
                    : Status.fromCodeValue(mvcc.grpcCode()).withDescription(mvcc.message()).asRuntimeException();
        }
        HeaderFacts f = answer.facts();
        return ResponseHeader.newBuilder().setClusterId(f.clusterId()).setMemberId(f.memberId())
                .setRaftTerm(f.raftTerm()).setRevision(b.getLong(ResponseLayout.REVISION_OFFSET)).build();
    }

    /** @return etcd's status for an auth error (its gRPC code and exact text) */
    public static StatusRuntimeException status(AuthError error) {
        return Status.fromCodeValue(error.grpcCode()).withDescription(error.message()).asRuntimeException();
    }

    private static List<String> names(AuthCalls.Answer answer) {
        UnsafeBuffer b = new UnsafeBuffer(answer.response());
        List<String> names = AuthResponseView.names(b, 0, b.capacity());
        if (names == null) {
            throw Status.INTERNAL.withDescription("malformed auth names response").asRuntimeException();
        }
        return names;
    }

    private static List<Permission> permissions(AuthCalls.Answer answer) {
        UnsafeBuffer b = new UnsafeBuffer(answer.response());
        List<dev.keel.kernel.auth.Permission> perms = AuthResponseView.permissions(b, 0, b.capacity());
        if (perms == null) {
            throw Status.INTERNAL.withDescription("malformed role permissions response").asRuntimeException();
        }
        return perms.stream().map(p -> Permission.newBuilder().setPermTypeValue(p.type().ordinal())
                .setKey(ByteString.copyFrom(p.key())).setRangeEnd(ByteString.copyFrom(p.rangeEnd())).build()).toList();
    }

    private static <R> void finish(R response, Throwable failure, StreamObserver<R> out) {
        if (failure == null) {
            out.onNext(response);
            out.onCompleted();
            return;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        out.onError(cause instanceof StatusRuntimeException ? cause
                : Status.INTERNAL.withDescription(String.valueOf(cause.getMessage())).asRuntimeException());
    }

    private static Executor callThread() {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        return ctx == null ? Runnable::run : ctx.eventLoop();
    }
}
