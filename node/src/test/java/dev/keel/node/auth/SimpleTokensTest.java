package dev.keel.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SimpleTokensTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final SimpleTokens tokens = new SimpleTokens(now::get, 300_000);

    @Test
    void prefixIsSixteenLettersAndTokenEndsWithTheIndexAsEtcds() {
        String prefix = SimpleTokens.newPrefix(new SecureRandom(new byte[] {1}));
        assertTrue(prefix.matches("[a-zA-Z]{16}"), prefix);
        String token = tokens.assign("alice", 3, prefix, 42);
        assertEquals(prefix + ".42", token);
        assertEquals(Optional.of(new TokenInfo("alice", 3)), tokens.resolve(token));
    }

    @Test
    void unusedTokenExpiresAfterTtlAndUseRefreshesIt() {
        String token = tokens.assign("alice", 1, "abcdefghijklmnop", 7);
        now.addAndGet(299_999);
        assertTrue(tokens.resolve(token).isPresent(), "valid just before the TTL");
        now.addAndGet(299_999);
        assertTrue(tokens.resolve(token).isPresent(), "the previous use refreshed the TTL");
        now.addAndGet(300_000);
        assertEquals(Optional.empty(), tokens.resolve(token));
        assertEquals(0, tokens.size(), "an expired token is dropped when found expired");
    }

    @Test
    void expiredTokensAreSweptWhenNewOnesAreAssigned() {
        tokens.assign("alice", 1, "abcdefghijklmnop", 7);
        now.addAndGet(300_000);
        tokens.assign("bob", 1, "bcdefghijklmnopq", 8);
        assertEquals(1, tokens.size());
    }

    @Test
    void invalidateUserDropsOnlyThatUsersTokensAndClearDropsAll() {
        String a1 = tokens.assign("alice", 1, "abcdefghijklmnop", 7);
        String a2 = tokens.assign("alice", 1, "abcdefghijklmnoq", 8);
        String b = tokens.assign("bob", 1, "bcdefghijklmnopq", 9);
        tokens.invalidateUser("alice");
        assertEquals(Optional.empty(), tokens.resolve(a1));
        assertEquals(Optional.empty(), tokens.resolve(a2));
        assertEquals(Optional.of(new TokenInfo("bob", 1)), tokens.resolve(b));
        tokens.clear();
        assertEquals(Optional.empty(), tokens.resolve(b));
    }

    @Test
    void unknownTokenResolvesToNobody() {
        assertEquals(Optional.empty(), tokens.resolve("nosuchtokenhere.1"));
    }

    @Test
    void rejectsBadConfigurationAndPrefix() {
        assertThrows(IllegalArgumentException.class, () -> new SimpleTokens(now::get, 0));
        assertThrows(IllegalArgumentException.class, () -> tokens.assign("alice", 1, "short", 1));
        assertThrows(IllegalArgumentException.class, () -> tokens.assign("", 1, "abcdefghijklmnop", 1));
    }
}
