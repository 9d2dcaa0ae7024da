package dev.keel.node.auth;

import dev.keel.kernel.auth.AuthListener;
import dev.keel.node.RequestGate;

import java.security.SecureRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A member's auth host side: the applied auth state the interceptor reads, the token table kept from the
 * kernel's callbacks, the bcrypt pool, and the Auth service. The pool is the member's only extra threads; it
 * is shut down with the client server.
 */
public final class NodeAuth implements AutoCloseable {
    /** bcrypt at cost 10 takes ~50-100 ms of CPU: two threads keep a burst of logins from starving the rest. */
    static final int HASH_THREADS = 2;

    private final AuthState state = new AuthState();
    private final AuthTokens tokens;
    private final ExecutorService pool;
    private final Passwords passwords;
    private final boolean clientCertAuth;

    /**
     * @param tokens         the provider of {@code --auth-token} (its clock injected by the caller)
     * @param clientCertAuth {@code --client-cert-auth}: a verified certificate's CN names the user
     * @param bcryptCost     {@link Passwords#ETCD_COST} in production
     */
    public NodeAuth(AuthTokens tokens, boolean clientCertAuth, int bcryptCost) {
        this.tokens = tokens;
        this.clientCertAuth = clientCertAuth;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(HASH_THREADS, r -> {
            Thread t = new Thread(r, "keel-bcrypt-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.passwords = new Passwords(pool, new SecureRandom(), bcryptCost);
        state.add(new TokenTableListener(tokens));
    }

    /** @return what the kernel's MvccConfig must call on every applied auth change */
    public AuthListener listener() {
        return state;
    }

    /** @return the applied state (enabled, revision), readable from any thread */
    public AuthState state() {
        return state;
    }

    /** @return the interceptor to put on every client service */
    public AuthInterceptor interceptor() {
        return new AuthInterceptor(state::enabled, state::revision, tokens, clientCertAuth);
    }

    /** @return the Auth service submitting through {@code gate} */
    public AuthService service(RequestGate gate) {
        return new AuthService(new AuthCalls(gate), passwords, tokens);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
