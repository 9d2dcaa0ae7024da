package dev.keel.linearizability.model;

import dev.keel.linearizability.history.Operation;

/**
 * Knossos' {@code mutex}: {@code :acquire} succeeds only when the lock is free, {@code :release} only when it is
 * held. The state is whether it is held.
 */
public final class MutexModel implements Model<Boolean> {
    private final boolean initiallyHeld;

    /** @param initiallyHeld whether the lock starts held (Knossos' mutex starts free) */
    public MutexModel(boolean initiallyHeld) {
        this.initiallyHeld = initiallyHeld;
    }

    @Override
    public String name() {
        return "mutex";
    }

    @Override
    public Boolean initialState() {
        return initiallyHeld;
    }

    @Override
    public Boolean step(Boolean held, Operation op) {
        boolean acquire = op.f().equals("acquire");
        return held == acquire ? null : acquire;
    }

    @Override
    public String problemWith(Operation op) {
        return op.f().equals("acquire") || op.f().equals("release") ? null
                : "mutex knows :acquire and :release, not :" + op.f();
    }

    @Override
    public String describe(Boolean held) {
        return held ? "held" : "free";
    }
}
