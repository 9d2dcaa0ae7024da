package dev.keel.linearizability.search;

/**
 * The set of linearized operations of one search, as a bitset whose hash is kept up to date on every change
 * (Zobrist hashing: the XOR of a fixed random number per member), so the cache never rehashes whole bitsets.
 *
 * <p>Copies for the cache are compact: operations are numbered in invocation order and the search linearizes
 * them roughly in that order, so a set is a run of all-ones words, a few words of frontier, then zeros. A copy
 * holds the number of leading all-ones words followed by the frontier words only, which keeps cache entries at a
 * few words even for a single key with a hundred thousand operations. Equal sets give equal copies.
 */
final class OpSet {
    private final long[] words;
    private final long[] memberHashes;
    private long hash;
    /** Words [0, fullWords) are all ones; words[fullWords] is not (or it is past the end). */
    private int fullWords;
    /** The highest word that is not zero, or -1. */
    private int top = -1;

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
        int w = op >>> 6;
        words[w] |= 1L << op;
        hash ^= memberHashes[op];
        top = Math.max(top, w);
        while (fullWords < words.length && words[fullWords] == -1L) {
            fullWords++;
        }
    }

    void remove(int op) {
        int w = op >>> 6;
        words[w] &= ~(1L << op);
        hash ^= memberHashes[op];
        fullWords = Math.min(fullWords, w);
        while (top >= 0 && words[top] == 0) {
            top--;
        }
    }

    long hash() {
        return hash;
    }

    /** @return a compact copy: {@code [fullWords, words[fullWords], ..., words[top]]} */
    long[] copyWords() {
        int frontier = Math.max(0, top - fullWords + 1);
        long[] copy = new long[1 + frontier];
        copy[0] = fullWords;
        System.arraycopy(words, fullWords, copy, 1, frontier);
        return copy;
    }

    /** @return whether {@code copy} (from {@link #copyWords}) is a copy of this set as it is now */
    boolean sameWords(long[] copy) {
        if (copy[0] != fullWords || copy.length - 1 != Math.max(0, top - fullWords + 1)) {
            return false;
        }
        for (int i = 1; i < copy.length; i++) {
            if (copy[i] != words[fullWords + i - 1]) {
                return false;
            }
        }
        return true;
    }

    /** @return whether every member of the set {@code subset} (a {@link #copyWords} copy) is a member */
    boolean containsAll(long[] subset) {
        int subsetFull = (int) subset[0];
        if (subsetFull > fullWords) {
            return false; // the subset has a whole word of members where this set has a gap
        }
        for (int i = 1; i < subset.length; i++) {
            int w = subsetFull + i - 1;
            if (w >= fullWords && (subset[i] & ~words[w]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** @return the bytes the last {@link #copyWords} copy takes, roughly */
    int copyBytes() {
        return 24 + 8 * Math.max(0, top - fullWords + 1);
    }
}
