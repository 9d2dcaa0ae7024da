package dev.keel.node.auth;

import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.Lookup;
import dev.keel.node.HeaderFacts;
import dev.keel.node.Reply;
import dev.keel.node.RequestGate;
import io.grpc.Status;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.CompletableFuture;

/**
 * How the Auth service reaches the kernel: auth requests through the log, wrapped in the AUTHED envelope with
 * the caller of the current gRPC {@link io.grpc.Context} (so the kernel checks admin permission at apply time,
 * as etcd's authApplierV3 does), and the kernel-thread lookup Authenticate needs. Futures complete on the
 * kernel thread: callers continue on their own executor.
 */
public final class AuthCalls {
    /** A kernel answer: the encoded response and the header facts at the time it was served. */
    public record Answer(byte[] response, HeaderFacts facts) {
    }

    /** What Authenticate reads before checking a password: etcd's CheckPassword inputs. */
    public record PasswordLookup(boolean authEnabled, long authRevision, Lookup<byte[]> hash) {
    }

    /** Who is calling, taken from the gRPC Context on the call's thread (later stages run on other threads). */
    public record Caller(io.grpc.Context context) {
        /** The current Context, which holds the user the interceptor found (if any). */
        public static Caller current() {
            return new Caller(io.grpc.Context.current());
        }
    }

    private final RequestGate gate;

    /** @param gate the member's hand-off to the kernel thread */
    public AuthCalls(RequestGate gate) {
        this.gate = gate;
    }

    /**
     * Proposes an encoded {@code RequestType.AUTH} request as {@code caller}.
     *
     * @return the applied answer, or a failed future with etcd's status (not leader, too many requests...)
     */
    public CompletableFuture<Answer> submit(Caller caller, byte[] authRequest) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        Reply reply = new Reply() {
            @Override
            public void succeeded(byte[] mvccResponse, HeaderFacts facts) {
                answer.complete(new Answer(mvccResponse, facts));
            }

            @Override
            public void failed(Status status) {
                answer.completeExceptionally(status.asRuntimeException());
            }
        };
        // The gate wraps the request in the AUTHED envelope naming the Context's user: this may run on the
        // bcrypt pool, so the caller's Context is attached again for the hand-off.
        caller.context().run(() -> gate.submit(RequestGate.WRITE, new UnsafeBuffer(authRequest), 0,
                authRequest.length, reply));
        return answer;
    }

    /** @return the user's stored hash with the auth state it was read at (read on the kernel thread) */
    public CompletableFuture<PasswordLookup> passwordOf(String user) {
        CompletableFuture<PasswordLookup> found = new CompletableFuture<>();
        boolean queued = gate.run(kernel -> {
            var mvcc = kernel.replica().mvcc();
            found.complete(new PasswordLookup(mvcc.authEnabled(), mvcc.authRevision(), mvcc.passwordHash(user)));
        });
        if (!queued) {
            found.completeExceptionally(RequestGate.TOO_MANY_REQUESTS.asRuntimeException());
        }
        return found;
    }

    /** @return the caller's admin check on the kernel thread (etcd's IsAdminPermitted), for maintenance ops */
    public CompletableFuture<AuthError> checkAdmin(String user) {
        CompletableFuture<AuthError> checked = new CompletableFuture<>();
        boolean queued = gate.run(kernel -> checked.complete(kernel.replica().mvcc().checkAdmin(user)));
        if (!queued) {
            checked.completeExceptionally(RequestGate.TOO_MANY_REQUESTS.asRuntimeException());
        }
        return checked;
    }
}
