package dev.keel.node.auth;

import dev.keel.kernel.auth.AuthListener;

/**
 * Keeps a member's token table in step with the applied log, on every member: an applied AUTHENTICATE assigns its
 * token, a deleted user or changed password drops that user's tokens, and disabling auth drops them all — so a
 * revoked token stops working on every member, not only the one that applied the change first. Runs on the
 * applying thread; the table is thread-safe and each call is a map update.
 */
public final class TokenTableListener implements AuthListener {
    private final AuthTokens tokens;

    /** @param tokens the member's token provider */
    public TokenTableListener(AuthTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void tokenAssigned(String user, String token, long authRevision) {
        if (!token.isEmpty()) { // JWT entries carry no token: there is no table to fill
            tokens.assigned(user, token, authRevision);
        }
    }

    @Override
    public void userInvalidated(String user) {
        tokens.invalidateUser(user);
    }

    @Override
    public void authState(boolean enabled, long authRevision) {
        if (!enabled) {
            tokens.clear();
        }
    }
}
