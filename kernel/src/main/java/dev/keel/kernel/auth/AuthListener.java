package dev.keel.kernel.auth;

/**
 * What applied auth changes tell the host, on every member, in log order, on the thread that applies entries.
 * The host keeps its token table from these calls (simple tokens are assigned through the log, so every member
 * knows every token, as in etcd).
 */
public interface AuthListener {
    /** Does nothing. */
    AuthListener NONE = new AuthListener() {
    };

    /**
     * An Authenticate entry succeeded: {@code token} (empty for JWT, which needs no table) now names {@code user}.
     *
     * @param authRevision the auth revision when it was applied
     */
    default void tokenAssigned(String user, String token, long authRevision) {
    }

    /** {@code user} was deleted or its password changed: its tokens stop working (etcd's invalidateUser). */
    default void userInvalidated(String user) {
    }

    /**
     * The auth state is now at {@code authRevision}, {@code enabled} or not: called after every successful auth
     * change and after a snapshot is loaded. Disabling auth drops every token.
     */
    default void authState(boolean enabled, long authRevision) {
    }
}
