package dev.keel.kernel.mvcc.store;

import java.util.Arrays;

/** The path stack of an in-order walk over a {@link KeyIndex}; reusable, so scans allocate nothing. */
public final class KeyCursor {
    private int[] stack = new int[64];
    private int depth;

    void clear() {
        depth = 0;
    }

    void push(int slot) {
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = slot;
    }

    int pop() {
        return stack[--depth];
    }

    int peek() {
        return stack[depth - 1];
    }

    boolean isEmpty() {
        return depth == 0;
    }
}
