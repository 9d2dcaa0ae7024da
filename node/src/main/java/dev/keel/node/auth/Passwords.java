package dev.keel.node.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * bcrypt password hashing as etcd does it ({@code bcrypt.GenerateFromPassword(pw, bcrypt.DefaultCost)}, cost 10,
 * {@code $2a$} hashes interchangeable with Go's). A hash costs tens of milliseconds, so every call runs on the
 * given worker pool — never on the kernel thread or an event loop — and returns a future.
 */
public final class Passwords {
    /** Go's {@code bcrypt.DefaultCost}, which etcd 3.4 uses. */
    public static final int ETCD_COST = 10;

    private final Executor pool;
    private final SecureRandom random;
    private final int cost;
    /** A real hash nobody's password matches, checked for unknown users so the failure takes as long as a miss. */
    private final String dummyHash;

    /**
     * @param pool   the worker threads hashing runs on
     * @param random the salt source
     * @param cost   the bcrypt cost (log2 rounds); {@link #ETCD_COST} in production
     */
    public Passwords(Executor pool, SecureRandom random, int cost) {
        this.pool = pool;
        this.random = random;
        this.cost = cost;
        this.dummyHash = BCrypt.hashpw(randomSecret(), BCrypt.gensalt(cost, random));
    }

    /** @return a future of the bcrypt hash of {@code password}, as the bytes etcd stores */
    public CompletableFuture<byte[]> hash(String password) {
        return CompletableFuture.supplyAsync(
                () -> BCrypt.hashpw(password, BCrypt.gensalt(cost, random)).getBytes(StandardCharsets.US_ASCII),
                pool);
    }

    /**
     * Checks a password against a stored hash; a user without one (unknown, or added with no_password) is checked
     * against a dummy hash first so the answer takes as long and is always false.
     *
     * @param storedHash the user's stored hash, or null/empty when the user is unknown or has no password
     * @return a future of whether the password matches
     */
    public CompletableFuture<Boolean> verify(String password, byte[] storedHash) {
        return CompletableFuture.supplyAsync(() -> {
            if (storedHash == null || storedHash.length == 0) {
                BCrypt.checkpw(password, dummyHash);
                return false;
            }
            try {
                return BCrypt.checkpw(password, new String(storedHash, StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException malformed) {
                return false;
            }
        }, pool);
    }

    private String randomSecret() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }
}
