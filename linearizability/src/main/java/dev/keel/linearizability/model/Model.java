package dev.keel.linearizability.model;

import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.edn.Tagged;
import dev.keel.linearizability.history.Operation;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A sequential specification: what a single copy of the object would answer to each operation. The checker
 * asks whether some order of the history's operations, consistent with real time, is a run of this model.
 *
 * <p>States are immutable values and never {@code null}; {@code null} from {@link #step} means "inconsistent".
 * The checker caches (linearized operations, state) pairs, so {@link #hash} and {@link #same} must agree and be
 * cheap; compact states make the cache small. {@link #step} must depend only on the operation's function and
 * value, not on its process or times (the checker treats operations alike in those two as interchangeable).
 *
 * @param <S> the state type
 */
public interface Model<S> {
    /**
     * Stands for every written value that no operation ever observes; see {@link #forgetUnobserved}. Printed as
     * {@code #keel/unobserved nil}.
     */
    Object UNOBSERVED = new Tagged("keel/unobserved", null);

    /** @return the model's name as the CLI spells it, e.g. {@code cas-register} */
    String name();

    /** @return the state before any operation */
    S initialState();

    /**
     * Applies one operation. Models judge {@link Operation#value()}: the result for completed operations, the
     * invocation's argument for indeterminate ones.
     *
     * @return the next state, or {@code null} if the operation cannot happen in {@code state} (e.g. a read of a
     *     value the register does not hold)
     */
    S step(S state, Operation op);

    /**
     * Says what is wrong with an operation the model cannot interpret at all (unknown function, malformed
     * value), before any search starts.
     *
     * @return {@code null} if the model understands the operation, else the problem in a few words
     */
    String problemWith(Operation op);

    /**
     * An indeterminate operation that never changes the state can always be left out (it may never have
     * happened), so the checker drops such operations before searching.
     *
     * @return true if applying {@code op} can never change a state
     */
    default boolean isReadOnly(Operation op) {
        return false;
    }

    /**
     * Reports the values {@code op} compares the state against: a read's result, a cas' expected value. Together
     * with {@link #forgetUnobserved} this lets the checker treat all values nobody observes as one value, which
     * makes otherwise distinct timed-out writes interchangeable and keeps the search small. Models that compare
     * values in other ways (ordering, arithmetic) must not implement these two methods.
     */
    default void observedValues(Operation op, Consumer<Object> observed) {
    }

    /**
     * @param isObserved whether some operation of the history observes a value
     * @return {@code op} with each value it writes that is not observed replaced by {@link #UNOBSERVED}
     */
    default Operation forgetUnobserved(Operation op, Predicate<Object> isObserved) {
        return op;
    }

    /** @return a hash consistent with {@link #same} */
    default int hash(S state) {
        return Objects.hashCode(state);
    }

    /** @return whether two states are the same state */
    default boolean same(S a, S b) {
        return Objects.equals(a, b);
    }

    /** @return the state for people, e.g. {@code 3} or {@code {:x 1}} */
    default String describe(S state) {
        return EdnWriter.write(state);
    }
}
