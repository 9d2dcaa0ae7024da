package dev.keel.linearizability.gen;

import java.util.SplittableRandom;

/**
 * A reference implementation of one model's object, used to generate histories that are linearizable by
 * construction: the generator applies operations to it one at a time, at each operation's chosen linearization
 * point. Deliberately written apart from the checker's models, so that generated histories test them.
 */
interface Workload {
    /** @return a fresh operation's function and invocation value */
    Invocation invent(SplittableRandom random);

    /**
     * Applies an operation to the object's current state.
     *
     * @return the result: whether it took effect (a cas whose comparison fails does not) and the completion value
     */
    Result apply(Invocation invocation);

    /**
     * @param f     the function name, e.g. {@code "cas"}
     * @param value the invocation's value
     */
    record Invocation(String f, Object value) {
    }

    /**
     * @param ok    whether the operation succeeded (false: it had no effect and completes as {@code fail})
     * @param value the completion's value
     */
    record Result(boolean ok, Object value) {
    }
}
