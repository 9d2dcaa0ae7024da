package dev.keel.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Revocation on every member: three members' tables fed the same applied changes (as each member's kernel
 * calls its listener) stop accepting a deleted user's token together.
 */
class TokenTableListenerTest {
    private final List<SimpleTokens> members = List.of(table(), table(), table());
    private final List<TokenTableListener> listeners = members.stream().map(TokenTableListener::new).toList();

    private static SimpleTokens table() {
        return new SimpleTokens(() -> 0L, 300_000, new SecureRandom());
    }

    @Test
    void anAppliedTokenWorksEverywhereAndADeletedUsersTokenNowhere() {
        String alice = members.get(0).proposalToken();
        String bob = members.get(1).proposalToken();
        listeners.forEach(l -> l.tokenAssigned("alice", alice, 2));
        listeners.forEach(l -> l.tokenAssigned("bob", bob, 2));
        members.forEach(m -> assertEquals(Optional.of(new TokenInfo("alice", 2)), m.resolve(alice)));
        listeners.forEach(l -> l.userInvalidated("alice"));
        members.forEach(m -> assertEquals(Optional.empty(), m.resolve(alice)));
        members.forEach(m -> assertEquals(Optional.of(new TokenInfo("bob", 2)), m.resolve(bob)));
    }

    @Test
    void disablingAuthDropsEveryTokenAndEnablingKeepsThem() {
        String bob = members.get(2).proposalToken();
        listeners.forEach(l -> l.tokenAssigned("bob", bob, 2));
        listeners.forEach(l -> l.authState(true, 3));
        members.forEach(m -> assertEquals(1, m.size()));
        listeners.forEach(l -> l.authState(false, 4));
        members.forEach(m -> assertEquals(0, m.size()));
    }

    @Test
    void jwtEntriesCarryNoTokenAndFillNoTable() {
        listeners.get(0).tokenAssigned("alice", "", 2);
        assertEquals(0, members.get(0).size());
    }
}
