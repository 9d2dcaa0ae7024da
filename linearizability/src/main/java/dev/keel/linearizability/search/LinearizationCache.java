package dev.keel.linearizability.search;

import dev.keel.linearizability.model.Model;

/**
 * Lowe's linearization cache: every (set of linearized operations, model state) the search has reached. Reaching
 * one again means the subtree below it was already explored, so the search skips it. Open addressing over
 * parallel arrays keeps an entry at one copied bitset plus a few words.
 *
 * @param <S> the model's state type
 */
final class LinearizationCache<S> {
    private static final int ENTRY_OVERHEAD_BYTES = 48; // slot arrays plus a small state object, roughly

    private final Model<S> model;
    private long[][] sets = new long[1024][];
    private Object[] states = new Object[1024];
    private int[] hashes = new int[1024];
    private int size;
    private long bytes;

    LinearizationCache(Model<S> model) {
        this.model = model;
    }

    /** @return true if the pair was new (and is now cached), false if it was cached already */
    @SuppressWarnings("unchecked")
    boolean add(OpSet linearized, S state) {
        int hash = mix(linearized.hash() * 31 + model.hash(state));
        int mask = sets.length - 1;
        for (int i = hash & mask; sets[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == hash && linearized.sameWords(sets[i]) && model.same((S) states[i], state)) {
                return false;
            }
        }
        if (size * 2 >= sets.length) {
            grow();
        }
        insert(linearized.copyWords(), state, hash);
        bytes += linearized.copyBytes() + ENTRY_OVERHEAD_BYTES;
        return true;
    }

    /** @return the estimated bytes held */
    long bytes() {
        return bytes;
    }

    /** @return the number of cached pairs */
    int size() {
        return size;
    }

    private void insert(long[] set, Object state, int hash) {
        int mask = sets.length - 1;
        int i = hash & mask;
        while (sets[i] != null) {
            i = (i + 1) & mask;
        }
        sets[i] = set;
        states[i] = state;
        hashes[i] = hash;
        size++;
    }

    private void grow() {
        long[][] oldSets = sets;
        Object[] oldStates = states;
        int[] oldHashes = hashes;
        sets = new long[oldSets.length * 2][];
        states = new Object[oldSets.length * 2];
        hashes = new int[oldSets.length * 2];
        size = 0;
        for (int i = 0; i < oldSets.length; i++) {
            if (oldSets[i] != null) {
                insert(oldSets[i], oldStates[i], oldHashes[i]);
            }
        }
    }

    private static int mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }
}
