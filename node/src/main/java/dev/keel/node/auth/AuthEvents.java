package dev.keel.node.auth;

import dev.keel.kernel.auth.AuthListener;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node's fan-out of applied auth changes: the kernel thread calls it (it is the state machine's
 * {@link AuthListener}) and it calls every subscribed listener (the token table) in order, on that thread. It
 * also keeps the latest auth state in volatile fields for the API threads, which put {@link #revision()} into
 * every request's envelope.
 */
public final class AuthEvents implements AuthListener {
    private final CopyOnWriteArrayList<AuthListener> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean enabled;
    private volatile long revision;

    /** Adds a listener; it hears every later change, on the kernel thread (keep it short, never block). */
    public void subscribe(AuthListener listener) {
        subscribers.add(listener);
    }

    /** @return whether auth was enabled at the last applied change this member saw */
    public boolean enabled() {
        return enabled;
    }

    /** @return the auth revision of the last applied change this member saw (0 before any) */
    public long revision() {
        return revision;
    }

    @Override
    public void tokenAssigned(String user, String token, long authRevision) {
        for (AuthListener l : subscribers) {
            l.tokenAssigned(user, token, authRevision);
        }
    }

    @Override
    public void userInvalidated(String user) {
        for (AuthListener l : subscribers) {
            l.userInvalidated(user);
        }
    }

    @Override
    public void authState(boolean enabled, long authRevision) {
        // Written before the fan-out, so a subscriber that reacts by retrying sees the new revision.
        this.enabled = enabled;
        this.revision = authRevision;
        for (AuthListener l : subscribers) {
            l.authState(enabled, authRevision);
        }
    }
}
