package dev.keel.linearizability.search;

import java.util.Arrays;

/**
 * The set of linearized operations of one search, as a bitset whose hash is kept up to date on every change
 * (Zobrist hashing: the XOR of a fixed random number per member), so the cache never rehashes whole bitsets.
 */
final class OpSet {
    private final long[] words;
    private final long[] memberHashes;
    private long hash;

    OpSet(int size) {
        words = new long[(size + 63) >>> 6];
        memberHashes = new long[size];
        long z = 0x5DEECE66DL;
        for (int i = 0; i < size; i++) {
            z += 0x9E3779B97F4A7C15L; // SplitMix64: a fixed, well-mixed number per operation
            long x = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
            memberHashes[i] = x ^ (x >>> 31);
        }
    }

    void add(int op) {
        words[op >>> 6] |= 1L << op;
        hash ^= memberHashes[op];
    }

    void remove(int op) {
        words[op >>> 6] &= ~(1L << op);
        hash ^= memberHashes[op];
    }

    /** @return whether every member of {@code subset} (words as {@link #copyWords} gives them) is a member */
    boolean containsAll(long[] subset) {
        for (int i = 0; i < subset.length; i++) {
            if ((subset[i] & ~words[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    long hash() {
        return hash;
    }

    long[] copyWords() {
        return words.clone();
    }

    boolean sameWords(long[] other) {
        return Arrays.equals(words, other);
    }

    /** @return the bytes one cached copy of this set takes, roughly */
    int copyBytes() {
        return 16 + 8 * words.length;
    }
}
