package dev.keel.linearizability.search;

import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.InvalidHistoryException;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.model.Model;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One part of a history made ready for the search: validated against the model, with failed operations removed
 * (they certainly did not happen) and indeterminate read-only operations removed (leaving them out is always a
 * valid choice, and it shrinks the search).
 *
 * @param <S> the model's state type
 */
final class PreparedPart<S> {
    /** Enough unobserved values to name in a state's description before just counting them. */
    private static final int MAX_UNOBSERVED_LISTED = 5;

    private final Object key;
    private final History part;
    private final Model<S> model;
    /** The operations as the user gave them, for reports. */
    private final Operation[] original;
    /** The same operations with unobserved values forgotten, for the search. */
    private final Operation[] ops;
    private final boolean[] indeterminate;
    /** Values written but never observed, which the search merged into {@link Model#UNOBSERVED}. */
    private final Set<Object> unobserved = new LinkedHashSet<>();

    private PreparedPart(Object key, History part, Model<S> model, List<Operation> kept) {
        this.key = key;
        this.part = part;
        this.model = model;
        this.original = kept.toArray(new Operation[0]);
        this.ops = forgetUnobserved();
        this.indeterminate = new boolean[ops.length];
        for (int i = 0; i < ops.length; i++) {
            indeterminate[i] = ops[i].type() == OpType.INFO;
        }
    }

    /**
     * Values that no operation observes cannot be told apart, so they become one value: timed-out writes of
     * such values become interchangeable, which the search's symmetry reduction then exploits.
     */
    private Operation[] forgetUnobserved() {
        Set<Object> observed = new HashSet<>();
        for (Operation op : original) {
            model.observedValues(op, observed::add);
        }
        Operation[] forgotten = new Operation[original.length];
        for (int i = 0; i < original.length; i++) {
            forgotten[i] = model.forgetUnobserved(original[i], value -> {
                boolean seen = observed.contains(value);
                if (!seen) {
                    unobserved.add(value);
                }
                return seen;
            });
        }
        return forgotten;
    }

    /** @return the state for people, with the stand-in for unobserved values spelled out */
    private String describe(S state) {
        String text = model.describe(state);
        String token = EdnWriter.write(Model.UNOBSERVED);
        if (!text.contains(token)) {
            return text;
        }
        List<String> values = new ArrayList<>();
        unobserved.stream().limit(MAX_UNOBSERVED_LISTED).forEach(v -> values.add(EdnWriter.write(v)));
        String which = unobserved.size() <= MAX_UNOBSERVED_LISTED ? String.join(" ", values)
                : unobserved.size() + " values";
        return text.replace(token, "<a value no operation read: " + (unobserved.size() == 1 ? "" : "one of ")
                + which + ">");
    }

    /**
     * @throws InvalidHistoryException naming the first operation the model cannot interpret
     */
    static <S> PreparedPart<S> prepare(Object key, History part, Model<S> model) {
        List<Operation> kept = new ArrayList<>();
        for (Operation op : part.operations()) {
            String problem = model.problemWith(op);
            if (problem != null) {
                String where = key == null ? "" : " (key " + EdnWriter.write(key) + ")";
                throw new InvalidHistoryException(op, where, problem);
            }
            boolean droppable = op.type() == OpType.FAIL || op.type() == OpType.INFO && model.isReadOnly(op);
            if (!droppable) {
                kept.add(op);
            }
        }
        return new PreparedPart<>(key, part, model, kept);
    }

    /** @return the part's key, or {@code null} when the history was not split */
    Object key() {
        return key;
    }

    /** Searches this part; the counterexample is filled in only when it is not linearizable. */
    PartResult search(SearchControl control) {
        PartitionSearch<S> search = new PartitionSearch<>(model, ops, indeterminate);
        SearchOutcome outcome = search.run(control);
        if (outcome.verdict() != Verdict.NOT_LINEARIZABLE) {
            return new PartResult(outcome, null);
        }
        Frontier<S> frontier = search.frontier();
        Operation[] searched = ops;
        if (!unobserved.isEmpty()) {
            // The verdict stands (forgetting unobserved values is exact), but the states at the frontier read
            // better with real values; search again without forgetting, if the budget allows.
            PartitionSearch<S> exact = new PartitionSearch<>(model, original, indeterminate);
            if (exact.run(control).verdict() == Verdict.NOT_LINEARIZABLE) {
                frontier = exact.frontier();
                searched = original;
            }
        }
        return new PartResult(outcome, counterexample(frontier, searched));
    }

    /** @param searched the operations the frontier's search ran on, to step its states with */
    private Counterexample counterexample(Frontier<S> frontier, Operation[] searched) {
        List<String> states = new ArrayList<>();
        List<String> afterBlocked = new ArrayList<>();
        for (S state : frontier.states()) {
            states.add(describe(state));
            S after = model.step(state, searched[frontier.blocked()]);
            afterBlocked.add(after == null ? null : describe(after));
        }
        int completedTotal = 0;
        for (boolean info : indeterminate) {
            completedTotal += info ? 0 : 1;
        }
        int completedLinearized = 0;
        for (int op : frontier.prefix()) {
            completedLinearized += indeterminate[op] ? 0 : 1;
        }
        return new Counterexample(key, part, opsOf(frontier.prefix()), opsOf(frontier.window()),
                original[frontier.blocked()], List.copyOf(states), completedLinearized, completedTotal,
                Collections.unmodifiableList(afterBlocked), statesAlong(frontier.prefix(), searched));
    }

    /**
     * Replays the linearization (one model step per operation, cheap next to the search) and describes the state
     * after each of its last operations, for reports that show what each linearized operation left behind.
     */
    private List<String> statesAlong(int[] prefix, Operation[] searched) {
        int keepFrom = Math.max(0, prefix.length - Counterexample.MAX_STATES_AFTER);
        List<String> described = new ArrayList<>(prefix.length - keepFrom);
        S state = model.initialState();
        for (int i = 0; i < prefix.length; i++) {
            state = model.step(state, searched[prefix[i]]);
            if (state == null) {
                return List.of(); // cannot happen for a prefix the search accepted; show nothing rather than lie
            }
            if (i >= keepFrom) {
                described.add(describe(state));
            }
        }
        return List.copyOf(described);
    }

    private List<Operation> opsOf(int[] ids) {
        List<Operation> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(original[id]);
        }
        return List.copyOf(out);
    }

    /**
     * @param outcome        the search's outcome
     * @param counterexample present when the part is not linearizable
     */
    record PartResult(SearchOutcome outcome, Counterexample counterexample) {
    }
}
