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
 * undoing them again and again.
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
    private final OpSet linearized;
    private final LinearizationCache<S> cache;
    private final Frontier<S> frontier = new Frontier<>();
    private final int completedOps;

    private final int[] stackOps;
    private final Object[] stackStates;
    private int depth;

    PartitionSearch(Model<S> model, Operation[] ops, boolean[] indeterminate) {
        this.model = model;
        this.ops = ops;
        this.indeterminate = indeterminate;
        this.entries = new EntryList(ops, indeterminate);
        this.linearized = new OpSet(ops.length);
        this.cache = new LinearizationCache<>(model);
        int completed = 0;
        for (boolean info : indeterminate) {
            completed += info ? 0 : 1;
        }
        this.completedOps = completed;
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
            if (candidate == EntryList.NIL || EntryList.isReturn(candidate)) {
                if (!infoPhase) {
                    infoPhase = true; // every completed candidate tried: now the indeterminate ones
                    entry = entries.first();
                    continue;
                }
                recordStuck(candidate, state, completedOps - remaining);
                if (depth == 0) {
                    return SearchOutcome.notLinearizable(cache.size());
                }
                int op = stackOps[--depth];
                state = (S) stackStates[depth];
                stackStates[depth] = null;
                linearized.remove(op);
                entries.unlift(op);
                remaining += indeterminate[op] ? 0 : 1;
                infoPhase = indeterminate[op];
                entry = entries.next(2 * op);
                continue;
            }
            int op = EntryList.opOf(candidate);
            S next = model.step(state, ops[op]);
            if (next != null) {
                linearized.add(op);
                if (cache.add(linearized, next)) {
                    stackOps[depth] = op;
                    stackStates[depth++] = state;
                    state = next;
                    entries.lift(op);
                    remaining -= indeterminate[op] ? 0 : 1;
                    entry = entries.first();
                    infoPhase = false;
                    continue;
                }
                linearized.remove(op);
            }
            entry = entries.next(candidate);
        }
        return SearchOutcome.linearizable(cache.size());
    }

    /** @return the frontier of a failed search */
    Frontier<S> frontier() {
        return frontier;
    }

    /**
     * @return the first call entry from {@code entry} on whose operation is of the phase's kind, or the first
     *     return entry (or {@link EntryList#NIL}) if there is none before it
     */
    private int nextCandidate(int entry, boolean infoPhase) {
        int e = entry;
        while (e != EntryList.NIL && !EntryList.isReturn(e) && indeterminate[EntryList.opOf(e)] != infoPhase) {
            e = entries.next(e);
        }
        return e;
    }

    private void recordStuck(int returnEntry, S state, int completed) {
        if (returnEntry == EntryList.NIL || !frontier.worthRecording(completed)) {
            return;
        }
        int[] candidates = new int[ops.length];
        int n = 0;
        for (int e = entries.first(); e != EntryList.NIL && !EntryList.isReturn(e); e = entries.next(e)) {
            candidates[n++] = EntryList.opOf(e);
        }
        frontier.record(completed, stackOps, depth, Arrays.copyOf(candidates, n), EntryList.opOf(returnEntry),
                state, model::same);
    }
}
