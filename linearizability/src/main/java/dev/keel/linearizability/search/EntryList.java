package dev.keel.linearizability.search;

import dev.keel.linearizability.history.Operation;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Porcupine's doubly linked list of call and return entries in time order, kept in int arrays. Entry
 * {@code 2i} is operation i's call, {@code 2i+1} its return; indeterminate operations have no return entry (they
 * may take effect at any time after their call). Linearizing an operation lifts both of its entries out of the
 * list; backtracking puts them back in O(1), because a lifted entry keeps its own links.
 */
final class EntryList {
    static final int NIL = -1;

    private final int head;
    private final int[] next;
    private final int[] prev;
    private final boolean[] indeterminate;

    /**
     * @param ops           the operations, in any order
     * @param indeterminate which of them have no usable completion
     */
    EntryList(Operation[] ops, boolean[] indeterminate) {
        this.indeterminate = indeterminate;
        head = 2 * ops.length;
        next = new int[head + 1];
        prev = new int[head + 1];
        Integer[] entries = new Integer[countEntries(indeterminate)];
        int n = 0;
        for (int op = 0; op < ops.length; op++) {
            entries[n++] = 2 * op;
            if (!indeterminate[op]) {
                entries[n++] = 2 * op + 1;
            }
        }
        // By time; at equal times calls before returns, so operations that touch are concurrent.
        Arrays.sort(entries, Comparator.comparingLong((Integer e) -> timeOf(ops, e)).thenComparingInt(e -> e & 1));
        int last = head;
        for (int e : entries) {
            next[last] = e;
            prev[e] = last;
            last = e;
        }
        next[last] = NIL;
    }

    int first() {
        return next[head];
    }

    int next(int entry) {
        return next[entry];
    }

    static boolean isReturn(int entry) {
        return (entry & 1) == 1;
    }

    static int opOf(int entry) {
        return entry >>> 1;
    }

    /** Takes operation {@code op}'s entries out of the list. */
    void lift(int op) {
        unlink(2 * op);
        if (!indeterminate[op]) {
            unlink(2 * op + 1);
        }
    }

    /** Puts back the entries of the operation lifted last; calls must mirror {@link #lift} in stack order. */
    void unlift(int op) {
        if (!indeterminate[op]) {
            relink(2 * op + 1);
        }
        relink(2 * op);
    }

    private void unlink(int e) {
        next[prev[e]] = next[e];
        if (next[e] != NIL) {
            prev[next[e]] = prev[e];
        }
    }

    private void relink(int e) {
        next[prev[e]] = e;
        if (next[e] != NIL) {
            prev[next[e]] = e;
        }
    }

    private static long timeOf(Operation[] ops, int entry) {
        Operation op = ops[opOf(entry)];
        return isReturn(entry) ? op.completeTime() : op.invokeTime();
    }

    private static int countEntries(boolean[] indeterminate) {
        int n = 0;
        for (boolean info : indeterminate) {
            n += info ? 1 : 2;
        }
        return n;
    }
}
