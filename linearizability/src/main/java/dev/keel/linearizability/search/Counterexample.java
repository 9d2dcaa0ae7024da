package dev.keel.linearizability.search;

import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.Operation;
import java.util.List;

/**
 * Why a history is not linearizable, in the terms Porcupine and Knossos use: the longest linearization the
 * search found, the operations it could not linearize next (the failing window), and the model states it could
 * be in at that point.
 *
 * @param key                  the key of the failing part, or {@code null} if the history was not split
 * @param part                 the failing part's operations (values without the key)
 * @param linearized           the longest order of operations the search could justify, first to last
 * @param window               the operations that were candidates to go next when it got stuck, in time order
 * @param blocked              the operation whose completion the search could not get past
 * @param states               the model states reachable just before the window (at most 32), described
 * @param completedLinearized  how many completed operations the longest order holds
 * @param completedTotal       how many completed operations the part has
 * @param afterBlocked         for each of {@code states}, the state {@code blocked} leads to from it, described, or
 *                             {@code null} where the model refuses it (Knossos' final paths, one step long)
 * @param statesAfter          the model state after each of the last {@code statesAfter.size()} operations of
 *                             {@code linearized} (at most {@link #MAX_STATES_AFTER}), described; empty if unknown
 */
public record Counterexample(Object key, History part, List<Operation> linearized, List<Operation> window,
        Operation blocked, List<String> states, int completedLinearized, int completedTotal,
        List<String> afterBlocked, List<String> statesAfter) {
    /** Enough of the linearization's states for a report to show around the failure, few enough to keep small. */
    public static final int MAX_STATES_AFTER = 5_000;

    /** A counterexample without the states after the blocked operation nor along the linearization. */
    public Counterexample(Object key, History part, List<Operation> linearized, List<Operation> window,
            Operation blocked, List<String> states, int completedLinearized, int completedTotal) {
        this(key, part, linearized, window, blocked, states, completedLinearized, completedTotal, List.of(), List.of());
    }

    /**
     * @param index a position in {@link #linearized()}
     * @return the described state after that operation, or {@code null} if it was not kept
     */
    public String stateAfter(int index) {
        int at = index - (linearized.size() - statesAfter.size());
        return at >= 0 && at < statesAfter.size() ? statesAfter.get(at) : null;
    }
}
