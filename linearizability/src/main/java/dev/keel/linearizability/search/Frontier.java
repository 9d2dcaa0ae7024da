package dev.keel.linearizability.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * Where a failing search got furthest: the most completed operations it could linearize, the order it found for
 * them, the operations it could not linearize next, and the model states it reached there. Like Porcupine's and
 * Knossos' reports, this is the smallest window in which the history stops being explainable.
 *
 * @param <S> the model's state type
 */
final class Frontier<S> {
    /** Enough states to see what the model could have been in, few enough to read. */
    static final int MAX_STATES = 32;

    private int completedLinearized = -1;
    /** The recorded linearization, {@code prefixLength} long; kept in step with the search's stack lazily. */
    private final int[] prefix;
    private int prefixLength;
    /** The lowest stack depth since the last record: the stack below it still equals {@code prefix}. */
    private int lowWater;
    private final TreeSet<Integer> window = new TreeSet<>();
    private int blocked = -1;
    private final List<S> states = new ArrayList<>();

    /** @param capacity the most operations a linearization can hold */
    Frontier(int capacity) {
        prefix = new int[capacity];
    }

    /** Tells the frontier that the search's stack shrank to {@code depth}. */
    void popped(int depth) {
        lowWater = Math.min(lowWater, depth);
    }

    /** @return whether a stuck point at this depth is worth recording */
    boolean worthRecording(int completed) {
        return completed >= completedLinearized;
    }

    /**
     * Records a stuck point; call only when {@link #worthRecording} says so.
     *
     * @param completed  completed operations linearized so far
     * @param stack      the linearized operations in order ({@code depth} of them)
     * @param candidates the operations that could have gone next (ids in invocation order)
     * @param blockedOp  the operation whose completion the search could not get past
     * @param same       equality of states, to list each state once
     */
    void record(int completed, int[] stack, int depth, int[] candidates, int blockedOp, S state,
            BiPredicate<S, S> same) {
        if (completed > completedLinearized) {
            completedLinearized = completed;
            copyPrefix(stack, depth);
            window.clear();
            blocked = blockedOp;
            states.clear();
        } else if (depth < prefixLength) {
            copyPrefix(stack, depth); // the same progress with fewer indeterminate operations used
        }
        for (int op : candidates) {
            window.add(op); // stuck points at the same progress differ in what was tried: show all of it
        }
        if (states.size() < MAX_STATES && states.stream().noneMatch(s -> same.test(s, state))) {
            states.add(state);
        }
    }

    /**
     * Copies only what changed since the last record: copying the whole stack each time would cost the square
     * of the history's length on long single-key histories.
     */
    private void copyPrefix(int[] stack, int depth) {
        int from = Math.min(lowWater, Math.min(depth, prefixLength));
        System.arraycopy(stack, from, prefix, from, depth - from);
        prefixLength = depth;
        lowWater = depth;
    }

    int[] prefix() {
        return Arrays.copyOf(prefix, prefixLength);
    }

    /** @return the operations that were candidates at any stuck point of the furthest progress, in time order */
    int[] window() {
        return window.stream().mapToInt(Integer::intValue).toArray();
    }

    int blocked() {
        return blocked;
    }

    List<S> states() {
        return states;
    }
}
