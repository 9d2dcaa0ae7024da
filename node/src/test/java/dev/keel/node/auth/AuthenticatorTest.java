package dev.keel.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.wire.AuthOp;
import dev.keel.kernel.auth.wire.AuthRequest;
import dev.keel.kernel.auth.wire.AuthResponseView.Authenticated;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** etcd's Authenticate loop against a scripted log: the auth revision moves once between check and apply. */
class AuthenticatorTest {
    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    private final Passwords passwords = new Passwords(pool, new SecureRandom(), 4);
    private final SimpleTokens tokens = new SimpleTokens(() -> 0L, 300_000, new SecureRandom());
    private final List<AuthRequest> proposed = new ArrayList<>();
    private boolean enabled = true;
    private byte[] aliceHash;
    private long revision = 5;
    private int staleAnswers;

    private final Authenticator.AuthLog log = new Authenticator.AuthLog() {
        @Override
        public CompletableFuture<Authenticator.StoredPassword> storedPassword(String user) {
            return CompletableFuture.completedFuture(
                    new Authenticator.StoredPassword(enabled, user.equals("alice") ? aliceHash : null, revision));
        }

        @Override
        public CompletableFuture<Authenticator.Applied> propose(AuthRequest r) {
            proposed.add(r);
            if (staleAnswers > 0) {
                staleAnswers--;
                revision++;
                return CompletableFuture.completedFuture(new Authenticator.Applied(AuthError.AUTH_OLD_REVISION, null));
            }
            tokens.assigned(r.name(), r.token(), revision); // what every member's listener does on apply
            return CompletableFuture.completedFuture(new Authenticator.Applied(AuthError.OK,
                    new Authenticated(revision, r.name(), r.token())));
        }
    };
    private final Authenticator authenticator = new Authenticator(log, passwords, tokens);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void rightPasswordGivesAWorkingTokenAfterRetryingAStaleRevision() throws Exception {
        aliceHash = passwords.hash("pw").get();
        staleAnswers = 1;
        Authenticator.Outcome o = authenticator.authenticate("alice", "pw").get();
        assertEquals(AuthError.OK, o.error());
        assertEquals(6, o.authRevision());
        assertEquals(2, proposed.size());
        assertEquals(AuthOp.AUTHENTICATE, proposed.get(1).op());
        assertEquals(6, proposed.get(1).checkedRevision(), "the retry proposes the newly checked revision");
        assertEquals(new TokenInfo("alice", 6), tokens.resolve(o.token()).orElseThrow());
    }

    @Test
    void wrongPasswordAndUnknownUserFailAlikeWithoutProposing() throws Exception {
        aliceHash = passwords.hash("pw").get();
        assertEquals(AuthError.AUTH_FAILED, authenticator.authenticate("alice", "nope").get().error());
        assertEquals(AuthError.AUTH_FAILED, authenticator.authenticate("mallory", "pw").get().error());
        assertTrue(proposed.isEmpty());
        assertEquals("etcdserver: authentication failed, invalid user ID or password",
                AuthError.AUTH_FAILED.message());
    }

    @Test
    void authDisabledIsEtcdsNotEnabled() throws Exception {
        enabled = false;
        assertEquals(AuthError.AUTH_NOT_ENABLED, authenticator.authenticate("alice", "pw").get().error());
    }

    @Test
    void aRevisionThatNeverSettlesGivesUpWithOldRevision() throws Exception {
        aliceHash = passwords.hash("pw").get();
        staleAnswers = Integer.MAX_VALUE;
        assertEquals(AuthError.AUTH_OLD_REVISION, authenticator.authenticate("alice", "pw").get().error());
        assertEquals(Authenticator.MAX_ATTEMPTS, proposed.size());
    }
}
