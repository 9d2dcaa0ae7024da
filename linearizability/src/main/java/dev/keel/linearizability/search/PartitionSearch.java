package dev.keel.linearizability.search;

import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.model.Model;
import java.util.Arrays;

/**
 * Wing and Gong's search with Lowe's cache over one part of a history, as Porcupine runs it: walk the entry
 * list in time order, linearize the first call that the model accepts and that leads to an unseen (set, state)
 * pair, restart from the head; reaching a return entry whose operation is not linearized means the current
 * order cannot be extended, so undo the last choice and try the next candidate.
 *
 * <p>Indeterminate operations differ from Porcupine: they have no return entry, the search succeeds once every
 * completed operation is linearized (an indeterminate one never linearized simply never happened), and at each
 * step they are tried only after every completed candidate failed. Most indeterminate operations in real
 * histories never took visible effect, so trying them last keeps the search from placing them early and
 * undoing them again and again. Among themselves they are tried oldest first (measured against newest first:
 * equal on most histories, several times faster on the hard small-value kv histories in docs/benchmarks.md).
 *
 * @param <S> the model's state type
 */
final class PartitionSearch<S> {
    /** Budget checks cost a clock read; every 1024 steps keeps them cheap and still prompt. */
    private static final int CHECK_INTERVAL_MASK = 1023;

    private final Model<S> model;
    private final Operation[] ops;
    private final boolean[] indeterminate;
    private final EntryList entries;
    private final OpSet completedLinearized;
    private final OpSet indeterminateLinearized;
    /** Each operation's index in the set of its kind: completed and indeterminate operations are kept apart. */
    private final int[] setIndex;
    private final LinearizationCache<S> cache;
    private final InfoClasses infoClasses;
    private final Frontier<S> frontier;
    private final int completedOps;

    private final int[] stackOps;
    private final Object[] stackStates;
    private int depth;

    PartitionSearch(Model<S> model, Operation[] ops, boolean[] indeterminate) {
        this.model = model;
        this.ops = ops;
        this.indeterminate = indeterminate;
        this.entries = new EntryList(ops, indeterminate);
        this.cache = new LinearizationCache<>(model);
        this.frontier = new Frontier<>(ops.length);
        this.infoClasses = new InfoClasses(ops, indeterminate);
        this.setIndex = new int[ops.length];
        int completed = 0;
        for (int op = 0; op < ops.length; op++) {
            setIndex[op] = indeterminate[op] ? op - completed : completed++;
        }
        this.completedOps = completed;
        this.completedLinearized = new OpSet(completed);
        this.indeterminateLinearized = new OpSet(ops.length - completed);
        this.stackOps = new int[ops.length];
        this.stackStates = new Object[ops.length];
    }

    /** @return the outcome; on {@link Verdict#NOT_LINEARIZABLE} the frontier describes the failure */
    @SuppressWarnings("unchecked")
    SearchOutcome run(SearchControl control) {
        S state = model.initialState();
        int remaining = completedOps;
        int entry = entries.first();
        boolean infoPhase = false;
        long steps = 0;
        long reportedBytes = 0;
        while (remaining > 0) {
            if ((steps++ & CHECK_INTERVAL_MASK) == 0) {
                String stop = control.stopReason(cache.bytes() - reportedBytes);
                reportedBytes = cache.bytes();
                if (stop != null) {
                    return SearchOutcome.unknown(stop, cache.size());
                }
            }
            int candidate = nextCandidate(entry, infoPhase);
            if (!infoPhase && EntryList.isReturn(candidate)) {
                infoPhase = true; // every completed candidate tried: now the indeterminate ones
                entry = entries.first();
                continue;
            }
            if (EntryList.isReturn(candidate)) {
                recordStuck(state, completedOps - remaining);
                if (depth == 0) {
                    return SearchOutcome.notLinearizable(cache.size());
                }
                int op = stackOps[--depth];
                frontier.popped(depth);
                state = (S) stackStates[depth];
                stackStates[depth] = null;
                setOf(op).remove(setIndex[op]);
                infoClasses.count(op, -1);
                entries.unlift(op);
                remaining += indeterminate[op] ? 0 : 1;
                infoPhase = indeterminate[op];
                entry = entries.next(2 * op);
                continue;
            }
            int op = EntryList.opOf(candidate);
            S next = model.step(state, ops[op]);
            if (next != null) {
                setOf(op).add(setIndex[op]);
                if (cache.add(completedLinearized, indeterminateLinearized, next)) {
                    stackOps[depth] = op;
                    stackStates[depth++] = state;
                    state = next;
                    entries.lift(op);
                    infoClasses.count(op, +1);
                    remaining -= indeterminate[op] ? 0 : 1;
                    entry = entries.first();
                    infoPhase = false;
                    continue;
                }
                setOf(op).remove(setIndex[op]);
            }
            entry = entries.next(candidate);
        }
        return SearchOutcome.linearizable(cache.size());
    }

    private OpSet setOf(int op) {
        return indeterminate[op] ? indeterminateLinearized : completedLinearized;
    }

    /** @return the frontier of a failed search */
    Frontier<S> frontier() {
        return frontier;
    }

    /**
     * @return the first call entry from {@code entry} on whose operation is of the phase's kind (completed, or
     *     indeterminate and the next of its {@link InfoClasses class}), or else the first return entry (there
     *     always is one while completed operations remain)
     */
    private int nextCandidate(int entry, boolean infoPhase) {
        int e = entry;
        while (!EntryList.isReturn(e) && !isCandidate(EntryList.opOf(e), infoPhase)) {
            e = entries.next(e);
        }
        return e;
    }

    private boolean isCandidate(int op, boolean infoPhase) {
        return indeterminate[op] == infoPhase && (!infoPhase || infoClasses.isNextOfItsClass(op));
    }

    private void recordStuck(S state, int completed) {
        if (!frontier.worthRecording(completed)) {
            return;
        }
        int[] candidates = new int[8];
        int n = 0;
        int e = entries.first();
        for (; !EntryList.isReturn(e); e = entries.next(e)) {
            if (n == candidates.length) {
                candidates = Arrays.copyOf(candidates, 2 * n);
            }
            candidates[n++] = EntryList.opOf(e);
        }
        frontier.record(completed, stackOps, depth, Arrays.copyOf(candidates, n), EntryList.opOf(e), state,
                model::same);
    }
}
