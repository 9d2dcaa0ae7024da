package dev.keel.linearizability.search;

import dev.keel.linearizability.model.Model;
import java.util.Arrays;

/**
 * Lowe's linearization cache, extended with subsumption for indeterminate operations. A configuration of the
 * search is (completed operations linearized, indeterminate operations linearized, model state). Reaching a
 * configuration already explored means its subtree holds nothing new. More than that: a configuration with the
 * same completed operations and state but a <em>subset</em> of the indeterminate operations dominates it, since
 * an indeterminate operation is optional and leaving one unused only keeps more choices open. So the cache
 * keys on (completed set, state) and keeps the indeterminate sets seen for each key; a new configuration is
 * skipped if any of them is a subset of its own. This stops the search from trying every subset of timed-out
 * operations, which otherwise dominates the running time on histories with many of them.
 *
 * @param <S> the model's state type
 */
final class LinearizationCache<S> {
    private static final int ENTRY_OVERHEAD_BYTES = 48; // slot arrays plus a small state object, roughly

    private final Model<S> model;
    private long[][] completedSets = new long[1024][];
    private Object[] states = new Object[1024];
    private int[] hashes = new int[1024];
    private long[][][] indeterminateSets = new long[1024][][];
    private int[] indeterminateCounts = new int[1024];
    private int keys;
    private int size;
    private long bytes;

    LinearizationCache(Model<S> model) {
        this.model = model;
    }

    /**
     * @param completed     the completed operations linearized
     * @param indeterminate the indeterminate operations linearized
     * @return true if the configuration is new and not dominated (and is now cached), false if the search may
     *     skip it
     */
    @SuppressWarnings("unchecked")
    boolean add(OpSet completed, OpSet indeterminate, S state) {
        int hash = mix(completed.hash() * 31 + model.hash(state));
        int mask = completedSets.length - 1;
        int slot = hash & mask;
        for (; completedSets[slot] != null; slot = (slot + 1) & mask) {
            if (hashes[slot] == hash && completed.sameWords(completedSets[slot])
                    && model.same((S) states[slot], state)) {
                return addIndeterminate(slot, indeterminate);
            }
        }
        if (keys * 2 >= completedSets.length) {
            grow();
            slot = freeSlot(hash);
        }
        completedSets[slot] = completed.copyWords();
        states[slot] = state;
        hashes[slot] = hash;
        indeterminateSets[slot] = new long[][] {indeterminate.copyWords()};
        indeterminateCounts[slot] = 1;
        keys++;
        size++;
        bytes += completed.copyBytes() + indeterminate.copyBytes() + ENTRY_OVERHEAD_BYTES;
        return true;
    }

    /** @return the estimated bytes held */
    long bytes() {
        return bytes;
    }

    /** @return the number of cached configurations */
    int size() {
        return size;
    }

    private boolean addIndeterminate(int slot, OpSet indeterminate) {
        long[][] seen = indeterminateSets[slot];
        int count = indeterminateCounts[slot];
        for (int i = 0; i < count; i++) {
            if (indeterminate.containsAll(seen[i])) {
                return false;
            }
        }
        if (count == seen.length) {
            seen = Arrays.copyOf(seen, count * 2);
            indeterminateSets[slot] = seen;
        }
        seen[count] = indeterminate.copyWords();
        indeterminateCounts[slot] = count + 1;
        size++;
        bytes += indeterminate.copyBytes() + 8;
        return true;
    }

    private int freeSlot(int hash) {
        int mask = completedSets.length - 1;
        int slot = hash & mask;
        while (completedSets[slot] != null) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[][] oldSets = completedSets;
        Object[] oldStates = states;
        int[] oldHashes = hashes;
        long[][][] oldIndeterminate = indeterminateSets;
        int[] oldCounts = indeterminateCounts;
        int capacity = oldSets.length * 2;
        completedSets = new long[capacity][];
        states = new Object[capacity];
        hashes = new int[capacity];
        indeterminateSets = new long[capacity][][];
        indeterminateCounts = new int[capacity];
        for (int i = 0; i < oldSets.length; i++) {
            if (oldSets[i] != null) {
                int slot = freeSlot(oldHashes[i]);
                completedSets[slot] = oldSets[i];
                states[slot] = oldStates[i];
                hashes[slot] = oldHashes[i];
                indeterminateSets[slot] = oldIndeterminate[i];
                indeterminateCounts[slot] = oldCounts[i];
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
