package dev.keel.node.auth;

import java.util.Optional;

/**
 * A token provider as etcd's {@code TokenProvider}: issues a token when Authenticate is applied and resolves the
 * {@code token} metadata of later calls. Implementations are thread-safe: gRPC threads resolve while the kernel's
 * listener assigns and invalidates.
 */
public interface AuthTokens {
    /**
     * The token to put into the AUTHENTICATE entry this member proposes: a simple token is assigned on every
     * member through the log, so it is chosen before proposing; JWTs need no table and propose "".
     */
    String proposalToken();

    /**
     * The token to answer the client with once its AUTHENTICATE entry is applied.
     *
     * @param proposed the {@link #proposalToken()} that was proposed
     * @param user     the authenticated user
     * @param revision the auth revision the entry was applied at
     */
    String clientToken(String proposed, String user, long revision);

    /** An applied AUTHENTICATE made {@code token} name {@code user} (every member; JWT ignores it). */
    void assigned(String user, String token, long revision);

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
