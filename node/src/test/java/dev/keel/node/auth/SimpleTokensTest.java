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
    private final SimpleTokens tokens = new SimpleTokens(now::get, 300_000, new SecureRandom());

    @Test
    void proposedTokenIsSixteenLettersDotCounterAsEtcdsAndResolvesOnceAssigned() {
        String token = tokens.proposalToken();
        assertTrue(token.matches("[a-zA-Z]{16}\\.1"), token);
        assertTrue(tokens.proposalToken().endsWith(".2"));
        assertEquals(token, tokens.clientToken(token, "alice", 3));
        assertEquals(Optional.empty(), tokens.resolve(token), "not valid until the entry is applied");
        tokens.assigned("alice", token, 3);
        assertEquals(Optional.of(new TokenInfo("alice", 3)), tokens.resolve(token));
    }

    @Test
    void unusedTokenExpiresAfterTtlAndUseRefreshesIt() {
        String token = assign("alice", 1, "abcdefghijklmnop.7");
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
        assign("alice", 1, "abcdefghijklmnop.7");
        now.addAndGet(300_000);
        assign("bob", 1, "bcdefghijklmnopq.8");
        assertEquals(1, tokens.size());
    }

    @Test
    void invalidateUserDropsOnlyThatUsersTokensAndClearDropsAll() {
        String a1 = assign("alice", 1, "abcdefghijklmnop.7");
        String a2 = assign("alice", 1, "abcdefghijklmnoq.8");
        String b = assign("bob", 1, "bcdefghijklmnopq.9");
        tokens.invalidateUser("alice");
        assertEquals(Optional.empty(), tokens.resolve(a1));
        assertEquals(Optional.empty(), tokens.resolve(a2));
        assertEquals(Optional.of(new TokenInfo("bob", 1)), tokens.resolve(b));
        tokens.clear();
        assertEquals(Optional.empty(), tokens.resolve(b));
    }

    private String assign(String user, long revision, String token) {
        tokens.assigned(user, token, revision);
        return token;
    }

    @Test
    void unknownTokenResolvesToNobody() {
        assertEquals(Optional.empty(), tokens.resolve("nosuchtokenhere.1"));
    }

    @Test
    void rejectsBadConfigurationAndPrefix() {
        assertThrows(IllegalArgumentException.class, () -> new SimpleTokens(now::get, 0, new SecureRandom()));
        assertThrows(IllegalArgumentException.class, () -> tokens.assigned("alice", "", 1));
        assertThrows(IllegalArgumentException.class, () -> tokens.assigned("", "abcdefghijklmnop.1", 1));
    }
}
