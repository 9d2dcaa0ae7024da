package dev.keel.node.auth;

import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.wire.AuthRequest;
import dev.keel.kernel.auth.wire.AuthResponseView.Authenticated;
import java.util.concurrent.CompletableFuture;

/**
 * etcd 3.4's Authenticate ({@code etcdserver/v3_server.go}): read the user's hash and the auth revision locally,
 * check the password with bcrypt on the worker pool, propose AUTHENTICATE carrying the checked revision and a new
 * token, and start again when the kernel says the revision moved in between (a password changed or the user was
 * deleted after the check). Unknown users and users without a password are checked against a dummy hash, so the
 * failure takes as long as a wrong password. The kernel thread only does the lookup and the apply.
 */
public final class Authenticator {
    /** etcd loops until the revision holds; a bound keeps a client under a storm of auth changes from spinning. */
    static final int MAX_ATTEMPTS = 16;

    /** What a member knows locally about a user's password, read on the kernel thread. */
    public record StoredPassword(boolean authEnabled, byte[] hash, long authRevision) {
    }

    /** The result of a proposed AUTHENTICATE: an error, or the applied entry. */
    public record Applied(AuthError error, Authenticated authenticated) {
    }

    /** The result for the client: a token and the revision, or etcd's error. */
    public record Outcome(AuthError error, String token, long authRevision) {
        static Outcome failed(AuthError e) {
            return new Outcome(e, "", 0);
        }
    }

    /** The member's side this needs: a local read and a proposal through the log (AuthService.CallLog implements it over AuthCalls). */
    public interface AuthLog {
        /** @return the user's stored hash (null when unknown or no_password) and the auth revision */
        CompletableFuture<StoredPassword> storedPassword(String user);

        /** @return the applied AUTHENTICATE */
        CompletableFuture<Applied> propose(AuthRequest authenticate);
    }

    private final AuthLog log;
    private final Passwords passwords;
    private final AuthTokens tokens;

    /**
     * @param log       local reads and proposals
     * @param passwords bcrypt on the worker pool
     * @param tokens    the member's token provider
     */
    public Authenticator(AuthLog log, Passwords passwords, AuthTokens tokens) {
        this.log = log;
        this.passwords = passwords;
        this.tokens = tokens;
    }

    /** @return the outcome of etcd's Authenticate for this name and password */
    public CompletableFuture<Outcome> authenticate(String user, String password) {
        return attempt(user, password, 1);
    }

    private CompletableFuture<Outcome> attempt(String user, String password, int attempt) {
        return log.storedPassword(user).thenCompose(stored -> {
            if (!stored.authEnabled()) {
                return CompletableFuture.completedFuture(Outcome.failed(AuthError.AUTH_NOT_ENABLED));
            }
            return passwords.verify(password, stored.hash()).thenCompose(ok -> {
                if (!ok) {
                    return CompletableFuture.completedFuture(Outcome.failed(AuthError.AUTH_FAILED));
                }
                String proposed = tokens.proposalToken();
                return log.propose(AuthRequest.authenticate(user, proposed, stored.authRevision()))
                        .thenCompose(applied -> settle(user, password, attempt, proposed, applied));
            });
        });
    }

    private CompletableFuture<Outcome> settle(String user, String password, int attempt, String proposed,
            Applied applied) {
        if (applied.error() == AuthError.AUTH_OLD_REVISION && attempt < MAX_ATTEMPTS) {
            return attempt(user, password, attempt + 1); // etcd: "revision when password checked became stale"
        }
        if (applied.error() != AuthError.OK) {
            return CompletableFuture.completedFuture(Outcome.failed(applied.error()));
        }
        long revision = applied.authenticated().authRevision();
        return CompletableFuture.completedFuture(
                new Outcome(AuthError.OK, tokens.clientToken(proposed, user, revision), revision));
    }
}
