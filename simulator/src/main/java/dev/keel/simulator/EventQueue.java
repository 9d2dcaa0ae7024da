package dev.keel.simulator;

import java.util.Arrays;

/**
 * The simulation's agenda: actions due at virtual times (microseconds), fired in time order and, at equal
 * times, in the order they were scheduled — so a run is a pure function of its seed.
 *
 * <p>Almost every action is due within a few seconds (message deliveries, ticks, fsyncs, timeouts), so the
 * near future is a timing wheel of ~1 ms buckets, each a small array sorted by key; anything beyond the wheel's
 * ~16 s horizon (longer than any client timeout or network hold-back) waits in an {@link EventHeap}. Keys are {@code time << 22 | sequence}: times up to 2^41 µs (25
 * days); the 22-bit sequence only orders actions due at the same microsecond, never four million apart.
 */
final class EventQueue {
    private static final int BUCKET_BITS = 10;
    private static final int BUCKETS = 16384;
    private static final int MASK = BUCKETS - 1;
    private static final long HORIZON = (long) BUCKETS << BUCKET_BITS;

    private final long[][] keys = new long[BUCKETS][];
    private final Runnable[][] actions = new Runnable[BUCKETS][];
    private final int[] heads = new int[BUCKETS];
    private final int[] tails = new int[BUCKETS];
    private final EventHeap far = new EventHeap();
    /** Absolute bucket number of the earliest bucket the wheel may hold. */
    private long cursor;
    private int inWheel;
    private long nextSeq;
    /** The first virtual time (µs) the agenda cannot hold: keys keep 63 - 22 bits for the time. */
    static final long TIME_LIMIT_MICROS = 1L << (63 - EventHeap.SEQ_BITS);

    void schedule(long time, Runnable action) {
        if (time < 0 || time >= TIME_LIMIT_MICROS) {
            throw new IllegalArgumentException("virtual time out of range: " + time);
        }
        long key = time << EventHeap.SEQ_BITS | (nextSeq++ & EventHeap.SEQ_MASK);
        long bucket = time >>> BUCKET_BITS;
        if (bucket < cursor || time >= (cursor << BUCKET_BITS) + HORIZON) {
            far.add(key, action);
            return;
        }
        insert((int) (bucket & MASK), key, action);
        inWheel++;
    }

    boolean isEmpty() {
        return inWheel == 0 && far.isEmpty();
    }

    /** @return the time of the next action; the queue must not be empty */
    long peekTime() {
        return nextKey() >>> EventHeap.SEQ_BITS;
    }

    /** Removes and returns the next action; {@link #peekTime()} was its time. */
    Runnable poll() {
        long wheelKey = wheelMin();
        if (!far.isEmpty() && (inWheel == 0 || far.peekKey() < wheelKey)) {
            return far.poll();
        }
        int b = (int) (cursor & MASK);
        Runnable action = actions[b][heads[b]];
        actions[b][heads[b]] = null;
        heads[b]++;
        inWheel--;
        return action;
    }

    int size() {
        return inWheel + far.size();
    }

    private long nextKey() {
        long wheelKey = wheelMin();
        if (far.isEmpty()) {
            return wheelKey;
        }
        return inWheel == 0 ? far.peekKey() : Math.min(wheelKey, far.peekKey());
    }

    /** Moves the cursor to the first non-empty bucket; returns its first key (the queue must hold some). */
    private long wheelMin() {
        if (inWheel == 0) {
            return Long.MAX_VALUE;
        }
        while (true) {
            int b = (int) (cursor & MASK);
            if (heads[b] < tails[b]) {
                return keys[b][heads[b]];
            }
            heads[b] = 0;
            tails[b] = 0;
            cursor++;
        }
    }

    private void insert(int b, long key, Runnable action) {
        long[] k = keys[b];
        if (k == null) {
            keys[b] = k = new long[8];
            actions[b] = new Runnable[8];
        }
        if (tails[b] == k.length) {
            compactOrGrow(b);
            k = keys[b];
        }
        Runnable[] a = actions[b];
        int i = tails[b]++;
        while (i > heads[b] && k[i - 1] > key) {
            k[i] = k[i - 1];
            a[i] = a[i - 1];
            i--;
        }
        k[i] = key;
        a[i] = action;
    }

    private void compactOrGrow(int b) {
        int live = tails[b] - heads[b];
        if (heads[b] > 0) {
            System.arraycopy(keys[b], heads[b], keys[b], 0, live);
            System.arraycopy(actions[b], heads[b], actions[b], 0, live);
            Arrays.fill(actions[b], live, tails[b], null);
            heads[b] = 0;
            tails[b] = live;
        }
        if (tails[b] == keys[b].length) {
            keys[b] = Arrays.copyOf(keys[b], keys[b].length * 2);
            actions[b] = Arrays.copyOf(actions[b], actions[b].length * 2);
        }
    }
}
