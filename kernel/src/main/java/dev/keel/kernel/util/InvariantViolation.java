package dev.keel.kernel.util;

/**
 * Thrown when a kernel invariant does not hold. The kernel stops rather than continue in a state that could
 * break safety; the host must treat this as fatal for the node (crash, restart from durable state).
 */
public final class InvariantViolation extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message which invariant failed and the values that broke it */
    public InvariantViolation(String message) {
        super(message);
    }

    /**
     * Checks an invariant. The message is only built on failure, so callers pass constant strings and values.
     *
     * @param condition must be true
     * @param what      the invariant, in words
     */
    public static void check(boolean condition, String what) {
        if (!condition) {
            throw new InvariantViolation(what);
        }
    }

    /** Checks an invariant about one value, naming it on failure. */
    public static void check(boolean condition, String what, long a) {
        if (!condition) {
            throw new InvariantViolation(what + " (" + a + ")");
        }
    }

    /** Checks an invariant that compares two values, naming both on failure. */
    public static void check(boolean condition, String what, long a, long b) {
        if (!condition) {
            throw new InvariantViolation(what + " (" + a + ", " + b + ")");
        }
    }

    /** Checks an invariant that relates three values, naming all of them on failure. */
    public static void check(boolean condition, String what, long a, long b, long c) {
        if (!condition) {
            throw new InvariantViolation(what + " (" + a + ", " + b + ", " + c + ")");
        }
    }
}
