package dev.keel.node.auth;

import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.Lookup;
import dev.keel.kernel.auth.Permission;
import dev.keel.kernel.auth.wire.AuthResponseView;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.node.HeaderFacts;
import dev.keel.node.Reply;
import dev.keel.node.RequestGate;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * The node's way to run auth operations through the log (like {@code AlarmRequests}): encode the op with
 * {@code dev.keel.kernel.auth.wire.AuthRequest}, {@link #submit} it on the gRPC call's thread (the gate wraps it
 * in the caller's envelope, so the kernel checks the caller), and read the decoded {@link AuthReply}. Failures
 * complete the future with etcd's {@link StatusRuntimeException} (code and exact text of the {@link AuthError}).
 * {@link #passwordCheck} reads what Authenticate needs from the kernel thread. Successes complete on the
 * common pool, never on the kernel thread, so dependent stages may take their time; so do failures.
 */
public final class AuthRequests {
    private AuthRequests() {
    }

    /** A successful auth response, decoded on demand. */
    public record AuthReply(byte[] response, HeaderFacts facts) {
        /** @return the header revision (the KV store's) */
        public long revision() {
            return new UnsafeBuffer(response).getLong(ResponseLayout.REVISION_OFFSET);
        }

        /** @return roles of a USER_GET, names of a USER_LIST / ROLE_LIST */
        public List<String> names() {
            return AuthResponseView.names(new UnsafeBuffer(response), 0, response.length);
        }

        /** @return permissions of a ROLE_GET */
        public List<Permission> permissions() {
            return AuthResponseView.permissions(new UnsafeBuffer(response), 0, response.length);
        }

        /** @return the AUTHENTICATE body */
        public AuthResponseView.Authenticated authenticated() {
            return AuthResponseView.authenticated(new UnsafeBuffer(response), 0, response.length);
        }
    }

    /**
     * What Authenticate checks a password against, read on the kernel thread at one moment.
     *
     * @param hash         the stored hash, or the lookup error (USER_NOT_FOUND)
     * @param authRevision the auth revision the hash was read at (put into the AUTHENTICATE entry)
     * @param enabled      whether auth is enabled
     */
    public record PasswordCheck(Lookup<byte[]> hash, long authRevision, boolean enabled) {
    }

    /**
     * Submits an encoded auth request through the log, as the calling thread's user.
     *
     * @return the reply, or a future failed with etcd's status
     */
    public static CompletableFuture<AuthReply> submit(RequestGate gate, byte[] encodedAuthRequest) {
        CompletableFuture<AuthReply> result = new CompletableFuture<>();
        gate.submit(RequestGate.WRITE, new UnsafeBuffer(encodedAuthRequest), 0, encodedAuthRequest.length,
                new Reply() {
                    @Override
                    public void succeeded(byte[] response, HeaderFacts facts) {
                        AuthError error = AuthResponseView.authError(new UnsafeBuffer(response), 0, response.length);
                        if (error != AuthError.OK) {
                            failAsync(result, toStatus(error));
                        } else if ((response[ResponseLayout.ERROR_OFFSET] & 0xFF) != 0) {
                            failAsync(result, Status.INTERNAL
                                    .withDescription("keel: auth request refused as malformed").asRuntimeException());
                        } else {
                            result.completeAsync(() -> new AuthReply(response, facts));
                        }
                    }

                    @Override
                    public void failed(Status status) {
                        failAsync(result, status.asRuntimeException());
                    }
                });
        return result;
    }

    /** Fails off the replying thread (possibly the kernel's), so dependent stages never run on it. */
    private static void failAsync(CompletableFuture<?> result, StatusRuntimeException error) {
        ForkJoinPool.commonPool().execute(() -> result.completeExceptionally(error));
    }

    /** @return the stored hash of {@code user} and the auth revision, read on the kernel thread */
    public static CompletableFuture<PasswordCheck> passwordCheck(RequestGate gate, String user) {
        CompletableFuture<PasswordCheck> result = new CompletableFuture<>();
        boolean queued = gate.run(k -> {
            var mvcc = k.replica().mvcc();
            PasswordCheck check = new PasswordCheck(mvcc.passwordHash(user), mvcc.authRevision(), mvcc.authEnabled());
            result.completeAsync(() -> check);
        });
        if (!queued) {
            result.completeExceptionally(RequestGate.TOO_MANY_REQUESTS.asRuntimeException());
        }
        return result;
    }

    /** @return etcd's status for an auth error */
    public static StatusRuntimeException toStatus(AuthError error) {
        return Status.fromCodeValue(error.grpcCode()).withDescription(error.message()).asRuntimeException();
    }
}
