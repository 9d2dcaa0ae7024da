package dev.keel.node.auth;

import dev.keel.kernel.auth.AuthListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The member's applied auth state for threads other than the kernel's (the interceptor asks on every call
 * whether auth is on), and the fan-out of the kernel's {@link AuthListener} callbacks to node listeners (the
 * token table). The kernel thread writes; every other thread reads the volatile fields.
 */
public final class AuthState implements AuthListener {
    private final List<AuthListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean enabled;
    private volatile long revision;

    /** Adds a listener that hears every later change, on the kernel thread. */
    public void add(AuthListener listener) {
        listeners.add(listener);
    }

    /** @return whether auth is enabled in the applied state */
    public boolean enabled() {
        return enabled;
    }

    /** @return the applied auth revision */
    public long revision() {
        return revision;
    }

    @Override
    public void tokenAssigned(String user, String token, long authRevision) {
        for (AuthListener l : listeners) {
            l.tokenAssigned(user, token, authRevision);
        }
    }

    @Override
    public void userInvalidated(String user) {
        for (AuthListener l : listeners) {
            l.userInvalidated(user);
        }
    }

    @Override
    public void authState(boolean enabled, long authRevision) {
        this.enabled = enabled;
        this.revision = authRevision;
        for (AuthListener l : listeners) {
            l.authState(enabled, authRevision);
        }
    }
}
