package dev.keel.kernel.mvcc.lease;

import java.util.Arrays;

/**
 * Min-heap of (expiry tick, lease ID), ordered by tick then ID so that equal expiries pop in a fixed order.
 * Entries are never updated in place: a renewed lease gets a new entry and stale ones are skipped by the
 * caller when they no longer match the lease (as etcd's {@code LeaseExpiredNotifier}).
 */
final class ExpiryHeap {
    private long[] ticks = new long[16];
    private long[] ids = new long[16];
    private int size;

    void push(long tick, long id) {
        if (size == ticks.length) {
            ticks = Arrays.copyOf(ticks, size * 2);
            ids = Arrays.copyOf(ids, size * 2);
        }
        int i = size++;
        ticks[i] = tick;
        ids[i] = id;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(i, parent)) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    long peekTick() {
        return ticks[0];
    }

    long peekId() {
        return ids[0];
    }

    void pop() {
        size--;
        ticks[0] = ticks[size];
        ids[0] = ids[size];
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int smallest = i;
            if (l < size && less(l, smallest)) {
                smallest = l;
            }
            if (r < size && less(r, smallest)) {
                smallest = r;
            }
            if (smallest == i) {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    void clear() {
        size = 0;
    }

    private boolean less(int a, int b) {
        return ticks[a] < ticks[b] || (ticks[a] == ticks[b] && ids[a] < ids[b]);
    }

    private void swap(int a, int b) {
        long t = ticks[a];
        ticks[a] = ticks[b];
        ticks[b] = t;
        long d = ids[a];
        ids[a] = ids[b];
        ids[b] = d;
    }
}
