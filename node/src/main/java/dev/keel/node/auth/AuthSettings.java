package dev.keel.node.auth;

import java.util.function.LongSupplier;

/**
 * The auth flags of a member, as etcd's: {@code --auth-token} (see {@link TokenSpec}) and
 * {@code --auth-token-ttl} (seconds an unused simple token lives, default 300; JWTs use their own {@code ttl}).
 *
 * @param tokenSpec       the parsed {@code --auth-token}
 * @param tokenTtlSeconds the parsed {@code --auth-token-ttl}
 */
public record AuthSettings(TokenSpec tokenSpec, long tokenTtlSeconds) {
    /** etcd's default {@code --auth-token-ttl}. */
    public static final long DEFAULT_TOKEN_TTL_SECONDS = 300;

    /** Checks the invariants. */
    public AuthSettings {
        if (tokenTtlSeconds <= 0) {
            throw new IllegalArgumentException("--auth-token-ttl must be positive, got " + tokenTtlSeconds);
        }
    }

    /**
     * Parses the two flags.
     *
     * @throws IllegalArgumentException with etcd's text for a bad {@code --auth-token}
     */
    public static AuthSettings parse(String authToken, long tokenTtlSeconds) {
        return new AuthSettings(TokenSpec.parse(authToken), tokenTtlSeconds);
    }

    /**
     * Builds the token provider; for JWT this reads the key files, so a member fails at start on a bad key, as
     * etcd does.
     *
     * @param ttlParser       parses the JWT {@code ttl} option (a Go duration)
     * @param monotonicMillis the clock of simple-token TTLs (local to a member)
     * @param wallMillis      epoch milliseconds for JWT {@code exp} (compared across members)
     */
    public AuthTokens tokens(JwtTokens.GoDurations ttlParser, LongSupplier monotonicMillis, LongSupplier wallMillis) {
        if (tokenSpec.isJwt()) {
            return JwtTokens.fromSpec(tokenSpec, ttlParser, wallMillis);
        }
        return new SimpleTokens(monotonicMillis, Math.multiplyExact(tokenTtlSeconds, 1000L),
                new java.security.SecureRandom());
    }
}
