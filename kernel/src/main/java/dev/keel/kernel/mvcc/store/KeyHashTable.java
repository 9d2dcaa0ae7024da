package dev.keel.kernel.mvcc.store;

import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * Point lookups for the {@link KeyIndex}: an open-addressing table (linear probing, backward-shift
 * deletion) from a key's hash to its slot, so a put or a point get finds its key in O(1) instead of
 * descending the treap. Never iterated, so its order cannot leak into any output.
 */
final class KeyHashTable {
    private static final int EMPTY = -1;
    private int[] table = filled(16);
    private int mask = 15;
    private int size;

    /** @return the 32-bit hash used for {@code key} */
    static int hash(DirectBuffer key, int offset, int length) {
        long h = 0x9E3779B97F4A7C15L ^ length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            h = (h ^ key.getLong(offset + i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 29;
        }
        for (; i < length; i++) {
            h = (h ^ key.getByte(offset + i)) * 0x94D049BB133111EBL;
        }
        h ^= h >>> 32;
        return (int) h;
    }

    /** @return the slot whose key equals the probe, or {@link KeyIndex#NIL} */
    int find(KeyIndex keys, IntColumn hashes, DirectBuffer key, int offset, int length, int hash) {
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            int slot = table[i];
            if (slot == EMPTY) {
                return KeyIndex.NIL;
            }
            if (hashes.get(slot) == hash && keys.keyLength(slot) == length && keys.compareTo(key, offset, length, slot) == 0) {
                return slot;
            }
        }
    }

    void insert(IntColumn hashes, int slot) {
        if ((size + 1) * 2 > table.length) {
            grow(hashes);
        }
        put(hashes.get(slot), slot);
        size++;
    }

    void remove(IntColumn hashes, int slot) {
        int i = hashes.get(slot) & mask;
        while (table[i] != slot) {
            i = (i + 1) & mask;
        }
        // Backward-shift deletion keeps every probe chain unbroken without tombstones.
        int hole = i;
        for (int j = (i + 1) & mask; table[j] != EMPTY; j = (j + 1) & mask) {
            int home = hashes.get(table[j]) & mask;
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                table[hole] = table[j];
                hole = j;
            }
        }
        table[hole] = EMPTY;
        size--;
    }

    private void put(int hash, int slot) {
        int i = hash & mask;
        while (table[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        table[i] = slot;
    }

    private void grow(IntColumn hashes) {
        int[] old = table;
        table = filled(old.length * 2);
        mask = table.length - 1;
        for (int slot : old) {
            if (slot != EMPTY) {
                put(hashes.get(slot), slot);
            }
        }
    }

    private static int[] filled(int capacity) {
        int[] t = new int[capacity];
        Arrays.fill(t, EMPTY);
        return t;
    }
}
