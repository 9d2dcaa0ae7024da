package dev.keel.simulator;

import java.util.Arrays;

/**
 * A binary heap of actions keyed by {@code time << 22 | sequence} (see {@link EventQueue}): the far-future part
 * of the agenda, and the reference the queue's tests compare against.
 */
final class EventHeap {
    static final int SEQ_BITS = 22;
    static final long SEQ_MASK = (1L << SEQ_BITS) - 1;
    private long[] keys = new long[1024];
    private Runnable[] actions = new Runnable[1024];
    private int size;
    private long nextSeq;

    void schedule(long time, Runnable action) {
        add(time << SEQ_BITS | (nextSeq++ & SEQ_MASK), action);
    }

    /** Adds an action under a key built by the caller. */
    void add(long key, Runnable action) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            actions = Arrays.copyOf(actions, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            keys[i] = keys[parent];
            actions[i] = actions[parent];
            i = parent;
        }
        keys[i] = key;
        actions[i] = action;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** @return the time of the next action; the queue must not be empty */
    long peekTime() {
        return keys[0] >>> SEQ_BITS;
    }

    /** @return the key of the next action; the heap must not be empty */
    long peekKey() {
        return keys[0];
    }

    /** Removes and returns the next action; {@link #peekTime()} was its time. */
    Runnable poll() {
        Runnable first = actions[0];
        size--;
        long key = keys[size];
        Runnable action = actions[size];
        actions[size] = null;
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && keys[child + 1] < keys[child]) {
                child++;
            }
            if (key <= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            actions[i] = actions[child];
            i = child;
        }
        if (size > 0) {
            keys[i] = key;
            actions[i] = action;
        }
        return first;
    }

    int size() {
        return size;
    }
}
