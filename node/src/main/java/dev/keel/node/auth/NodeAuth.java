package dev.keel.node.auth;

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

    private final AuthEvents state;
    private final AuthTokens tokens;
    private final ExecutorService pool;
    private final Passwords passwords;
    private final boolean clientCertAuth;

    /**
     * @param tokens         the provider of {@code --auth-token} (its clock injected by the caller)
     * @param events         the member's fan-out of applied auth changes (the token table subscribes)
     * @param clientCertAuth {@code --client-cert-auth}: a verified certificate's CN names the user
     * @param bcryptCost     {@link Passwords#ETCD_COST} in production
     */
    public NodeAuth(AuthTokens tokens, AuthEvents events, boolean clientCertAuth, int bcryptCost) {
        this.tokens = tokens;
        this.state = events;
        this.clientCertAuth = clientCertAuth;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(HASH_THREADS, r -> {
            Thread t = new Thread(r, "keel-bcrypt-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.passwords = new Passwords(pool, new SecureRandom(), bcryptCost);
        state.subscribe(new TokenTableListener(tokens));
    }

    /** @return the applied state (enabled, revision), readable from any thread */
    public AuthEvents state() {
        return state;
    }

    /** @return the interceptor to put on every client service */
    public AuthInterceptor interceptor() {
        return new AuthInterceptor(state::enabled, state::revision, tokens, clientCertAuth);
    }

    /** @return the root-role check of etcd's admin-only Maintenance calls */
    public AdminOnlyMethods adminOnly(RequestGate gate) {
        return new AdminOnlyMethods(state::enabled, new AuthCalls(gate));
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
