package dev.keel.linearizability.search;

import dev.keel.linearizability.history.Operation;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Symmetry reduction for indeterminate operations. Two indeterminate operations with the same function and value
 * are interchangeable once both are invoked: neither has a completion that constrains it, and a model's step
 * depends only on function and value. So any linearization can be rewritten to use the earliest-invoked members
 * of such a class first, and the search only ever tries the earliest member not yet linearized. Without this,
 * histories with many timed-out writes of the same few values make the search try every subset of them.
 */
final class InfoClasses {
    private final int[] classOf;
    private final int[] rank;
    private final int[] linearizedInClass;

    /**
     * @param ops           the operations, ordered by invocation time
     * @param indeterminate which operations are indeterminate
     */
    InfoClasses(Operation[] ops, boolean[] indeterminate) {
        classOf = new int[ops.length];
        rank = new int[ops.length];
        Map<List<Object>, Integer> classes = new HashMap<>();
        Map<Integer, Integer> sizes = new HashMap<>();
        for (int op = 0; op < ops.length; op++) {
            if (!indeterminate[op]) {
                classOf[op] = -1;
                continue;
            }
            int id = classes.computeIfAbsent(Arrays.asList(ops[op].f(), ops[op].value()),
                    k -> classes.size());
            classOf[op] = id;
            rank[op] = sizes.merge(id, 1, Integer::sum) - 1;
        }
        linearizedInClass = new int[classes.size()];
    }

    /** @return whether {@code op} (indeterminate) is the earliest of its class not yet linearized */
    boolean isNextOfItsClass(int op) {
        return rank[op] == linearizedInClass[classOf[op]];
    }

    /** Notes that {@code op} was linearized ({@code +1}) or undone ({@code -1}). */
    void count(int op, int delta) {
        if (classOf[op] >= 0) {
            linearizedInClass[classOf[op]] += delta;
        }
    }
}
