package dev.keel.node.auth;

import java.security.SecureRandom;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * etcd's simple tokens ({@code --auth-token simple}): an opaque {@code <16 letters>.<counter>} string mapped to its
 * user, kept on every member because every member applies Authenticate. A token lives {@code ttlMillis} after its
 * last use (etcd's simpleTokenTTLKeeper refreshes on every valid lookup). Time comes from an injected clock so tests
 * move it instead of sleeping; expiry is checked on lookup and expired entries are swept when tokens are assigned.
 */
public final class SimpleTokens implements AuthTokens {
    /** etcd's {@code defaultSimpleTokenLength}. */
    public static final int PREFIX_LENGTH = 16;
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();
    private final LongSupplier clockMillis;
    private final SecureRandom random;
    private final AtomicLong counter = new AtomicLong();
    private final long ttlMillis;

    private record Entry(TokenInfo info, long expiresAtMillis) {
    }

    /**
     * @param clockMillis monotonic milliseconds (System::nanoTime scaled in production, a counter in tests)
     * @param ttlMillis   how long an unused token stays valid ({@code --auth-token-ttl}, etcd's default 300 s)
     * @param random      the source of token letters
     */
    public SimpleTokens(LongSupplier clockMillis, long ttlMillis, SecureRandom random) {
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("auth token TTL must be positive, got " + ttlMillis + " ms");
        }
        this.clockMillis = clockMillis;
        this.random = random;
        this.ttlMillis = ttlMillis;
    }

    /** @return a fresh random prefix as etcd's {@code genTokenPrefix}: 16 ASCII letters */
    public static String newPrefix(SecureRandom random) {
        StringBuilder sb = new StringBuilder(PREFIX_LENGTH);
        for (int i = 0; i < PREFIX_LENGTH; i++) {
            sb.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        return sb.toString();
    }

    @Override
    public String proposalToken() {
        // etcd ends the token with the raft index; the proposer does not know it yet, so a local counter keeps
        // this member's tokens distinct, and the 16 random letters keep different members' tokens apart.
        return newPrefix(random) + "." + counter.incrementAndGet();
    }

    @Override
    public String clientToken(String proposed, String user, long revision) {
        return proposed;
    }

    @Override
    public void assigned(String user, String token, long revision) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException("a simple token cannot be empty");
        }
        long now = clockMillis.getAsLong();
        sweep(now);
        tokens.put(token, new Entry(new TokenInfo(user, revision), now + ttlMillis));
    }

    @Override
    public Optional<TokenInfo> resolve(String token) {
        long now = clockMillis.getAsLong();
        Entry e = tokens.get(token);
        if (e == null) {
            return Optional.empty();
        }
        if (now >= e.expiresAtMillis) {
            tokens.remove(token, e);
            return Optional.empty();
        }
        // Refresh on use; a concurrent invalidation that removed the entry wins (replace only if still present).
        tokens.replace(token, e, new Entry(e.info, now + ttlMillis));
        return Optional.of(e.info);
    }

    @Override
    public void invalidateUser(String user) {
        tokens.values().removeIf(e -> e.info.user().equals(user));
    }

    @Override
    public void clear() {
        tokens.clear();
    }

    /** @return how many tokens are held (expired ones not yet swept included) */
    public int size() {
        return tokens.size();
    }

    private void sweep(long now) {
        for (Iterator<Entry> it = tokens.values().iterator(); it.hasNext(); ) {
            if (now >= it.next().expiresAtMillis) {
                it.remove();
            }
        }
    }
}
