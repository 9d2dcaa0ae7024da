package dev.keel.node.auth;

import java.util.Optional;

/**
 * A token provider as etcd's {@code TokenProvider}: issues a token when Authenticate is applied and resolves the
 * {@code token} metadata of later calls. Implementations are thread-safe: gRPC threads resolve while the kernel's
 * listener assigns and invalidates.
 */
public interface AuthTokens {
    /**
     * Issues the token for a successful Authenticate.
     *
     * @param user        the authenticated user
     * @param revision    the auth revision the password was checked at
     * @param simplePrefix the random prefix the proposing member chose (used by simple tokens; JWT ignores it)
     * @param index       the log index Authenticate was applied at (simple tokens end with it, as etcd's)
     * @return the token the client sends back in its {@code token} metadata
     */
    String assign(String user, long revision, String simplePrefix, long index);

    /**
     * Resolves a token; a simple token's TTL is refreshed by a successful lookup, as etcd's TTL keeper does.
     *
     * @return the caller, or empty when the token is unknown, malformed or expired
     */
    Optional<TokenInfo> resolve(String token);

    /** Forgets every token of a user whose password changed or who was deleted (etcd's invalidateUser). */
    void invalidateUser(String user);

    /** Forgets every token, when auth is disabled (etcd's disable). */
    void clear();
}
