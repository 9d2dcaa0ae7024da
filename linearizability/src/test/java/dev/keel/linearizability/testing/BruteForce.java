package dev.keel.linearizability.testing;

import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.model.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference the checker is compared with: tries every order of the operations (failed ones left out,
 * indeterminate ones in or out) that respects real time, and runs the model along it. No cache, no partitioning,
 * no clever ordering; exponential, so only for small histories.
 */
public final class BruteForce {
    private BruteForce() {
    }

    /** @return whether some order of {@code history} that respects real time is a run of {@code model} */
    public static <S> boolean isLinearizable(History history, Model<S> model) {
        List<Operation> ops = new ArrayList<>();
        for (Operation op : history.operations()) {
            if (op.type() != OpType.FAIL) {
                ops.add(op);
            }
        }
        return search(ops, new boolean[ops.size()], model, model.initialState());
    }

    private static <S> boolean search(List<Operation> ops, boolean[] used, Model<S> model, S state) {
        if (allCompletedUsed(ops, used)) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            if (used[i] || !mayGoNext(ops, used, i)) {
                continue;
            }
            S next = model.step(state, ops.get(i));
            if (next == null) {
                continue;
            }
            used[i] = true;
            boolean found = search(ops, used, model, next);
            used[i] = false;
            if (found) {
                return true;
            }
        }
        return false;
    }

    /** An operation may go next unless an unused completed operation finished strictly before it began. */
    private static boolean mayGoNext(List<Operation> ops, boolean[] used, int candidate) {
        for (int j = 0; j < ops.size(); j++) {
            Operation other = ops.get(j);
            if (!used[j] && other.type() == OpType.OK && other.completeTime() < ops.get(candidate).invokeTime()) {
                return false;
            }
        }
        return true;
    }

    private static boolean allCompletedUsed(List<Operation> ops, boolean[] used) {
        for (int i = 0; i < ops.size(); i++) {
            if (!used[i] && ops.get(i).type() == OpType.OK) {
                return false;
            }
        }
        return true;
    }
}
