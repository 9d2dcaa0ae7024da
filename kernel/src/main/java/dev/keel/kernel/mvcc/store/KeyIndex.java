package dev.keel.kernel.mvcc.store;

import dev.keel.kernel.util.InvariantViolation;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The ordered set of keys: each key lives in an int slot holding its bytes (in a {@link ByteArena}) and the id
 * of its newest revision record. Order is kept by a treap over slots (unsigned byte order); a slot's priority
 * is a hash of the slot number, so the tree's shape depends only on the order of inserts, never on chance.
 *
 * <p>Point lookups go through a hash table (O(1)); inserts and ordered walks through the treap (O(log n)).
 * Nothing allocates once the columns have grown.
 */
public final class KeyIndex {
    /** No slot. */
    public static final int NIL = -1;

    private final ByteArena arena = new ByteArena();
    private final LongColumn keyAddress = new LongColumn();
    private final IntColumn keyLength = new IntColumn();
    private final IntColumn newest = new IntColumn();
    private final IntColumn left = new IntColumn();
    private final IntColumn right = new IntColumn();
    private final IntColumn priority = new IntColumn();
    private final IntColumn hashes = new IntColumn();
    private final KeyHashTable byHash = new KeyHashTable();
    private int root = NIL;
    private int highWater;
    private int freeHead = NIL;
    private int size;

    /** @return the hash the index uses for a key (stable within one process; never part of any output) */
    public static int hash(DirectBuffer key, int offset, int length) {
        return KeyHashTable.hash(key, offset, length);
    }

    /** @return the hash of the key in {@code slot}, as {@link #hash(DirectBuffer, int, int)} computes it */
    public int hash(int slot) {
        return hashes.get(slot);
    }

    /** @return the slot of the key, or {@link #NIL} */
    public int find(DirectBuffer key, int offset, int length) {
        return byHash.find(this, hashes, key, offset, length, KeyHashTable.hash(key, offset, length));
    }

    /** Adds a key that is not present; its newest record starts as {@link #NIL}. */
    public int insert(DirectBuffer key, int offset, int length) {
        int slot = allocateSlot();
        long address = arena.allocate(length);
        if (length > 0) {
            arena.page(address).putBytes(ByteArena.offset(address), key, offset, length);
        }
        keyAddress.set(slot, address);
        keyLength.set(slot, length);
        newest.set(slot, NIL);
        left.set(slot, NIL);
        right.set(slot, NIL);
        priority.set(slot, mix(slot));
        hashes.set(slot, KeyHashTable.hash(key, offset, length));
        byHash.insert(hashes, slot);
        root = insert(root, slot);
        size++;
        return slot;
    }

    /** Removes a key (compaction removed its whole history) and frees its slot. */
    public void remove(int slot) {
        root = remove(root, slot);
        byHash.remove(hashes, slot);
        arena.free(keyAddress.get(slot), keyLength.get(slot));
        keyAddress.set(slot, ByteArena.EMPTY);
        keyLength.set(slot, -1);
        newest.set(slot, freeHead);
        freeHead = slot;
        size--;
    }

    /** @return the first slot whose key is {@code >= key}, or {@link #NIL}; fills {@code path} for iteration */
    public int seek(DirectBuffer key, int offset, int length, KeyCursor path) {
        path.clear();
        int node = root;
        while (node != NIL) {
            if (compareTo(key, offset, length, node) <= 0) {
                path.push(node);
                node = left.get(node);
            } else {
                node = right.get(node);
            }
        }
        return path.isEmpty() ? NIL : path.peek();
    }

    /** @return the first slot in key order, or {@link #NIL}; fills {@code path} for iteration */
    public int first(KeyCursor path) {
        path.clear();
        for (int node = root; node != NIL; node = left.get(node)) {
            path.push(node);
        }
        return path.isEmpty() ? NIL : path.peek();
    }

    /** Advances an in-order walk started by {@link #seek} or {@link #first}; the index must not change meanwhile. */
    public int next(KeyCursor path) {
        int node = path.pop();
        for (int child = right.get(node); child != NIL; child = left.get(child)) {
            path.push(child);
        }
        return path.isEmpty() ? NIL : path.peek();
    }

    /** Compares a probe with the key in {@code slot}. */
    public int compareTo(DirectBuffer key, int offset, int length, int slot) {
        long address = keyAddress.get(slot);
        int slotLength = keyLength.get(slot);
        if (slotLength == 0) {
            return length == 0 ? 0 : 1;
        }
        return ByteCompare.compare(key, offset, length, arena.page(address), ByteArena.offset(address), slotLength);
    }

    /** @return the buffer holding the key of {@code slot}; see {@link #keyOffset} and {@link #keyLength} */
    public DirectBuffer keyBuffer(int slot) {
        long address = keyAddress.get(slot);
        return address == ByteArena.EMPTY ? EMPTY_BUFFER : arena.page(address);
    }

    /** @return where the key of {@code slot} starts in {@link #keyBuffer} */
    public int keyOffset(int slot) {
        return ByteArena.offset(keyAddress.get(slot));
    }

    /** @return the length of the key of {@code slot} */
    public int keyLength(int slot) {
        return keyLength.get(slot);
    }

    /** @return the newest revision record of {@code slot}, or {@link #NIL} */
    public int newest(int slot) {
        return newest.get(slot);
    }

    /** Sets the newest revision record of {@code slot}. */
    public void newest(int slot, int record) {
        newest.set(slot, record);
    }

    /** @return one more than the largest slot ever used; slots below it are live or free */
    public int highWater() {
        return highWater;
    }

    /** @return whether {@code slot} holds a key */
    public boolean isLive(int slot) {
        return slot < highWater && keyLength.get(slot) >= 0;
    }

    /** @return number of keys */
    public int size() {
        return size;
    }

    /** Sorts key slots into key order (revokes and TimeToLive: rare, so boxing for the library sort is fine). */
    public void sortByKey(int[] slots) {
        Integer[] boxed = new Integer[slots.length];
        for (int i = 0; i < slots.length; i++) {
            boxed[i] = slots[i];
        }
        Arrays.sort(boxed, this::compareSlots);
        for (int i = 0; i < slots.length; i++) {
            slots[i] = boxed[i];
        }
    }

    /** Compares the keys in two slots. */
    public int compareSlots(int a, int b) {
        return compareTo(keyBuffer(a), keyOffset(a), keyLength(a), b);
    }

    private static final UnsafeBuffer EMPTY_BUFFER = new UnsafeBuffer(new byte[0]);

    private int insert(int node, int slot) {
        if (node == NIL) {
            return slot;
        }
        if (compareSlots(slot, node) < 0) {
            left.set(node, insert(left.get(node), slot));
            if (priority.get(left.get(node)) > priority.get(node)) {
                node = rotateRight(node);
            }
        } else {
            right.set(node, insert(right.get(node), slot));
            if (priority.get(right.get(node)) > priority.get(node)) {
                node = rotateLeft(node);
            }
        }
        return node;
    }

    private int remove(int node, int slot) {
        InvariantViolation.check(node != NIL, "removing a key that is not in the index (slot)", slot);
        if (node == slot) {
            return merge(left.get(node), right.get(node));
        }
        if (compareSlots(slot, node) < 0) {
            left.set(node, remove(left.get(node), slot));
        } else {
            right.set(node, remove(right.get(node), slot));
        }
        return node;
    }

    private int merge(int a, int b) {
        if (a == NIL) {
            return b;
        }
        if (b == NIL) {
            return a;
        }
        if (priority.get(a) > priority.get(b)) {
            right.set(a, merge(right.get(a), b));
            return a;
        }
        left.set(b, merge(a, left.get(b)));
        return b;
    }

    private int rotateRight(int node) {
        int pivot = left.get(node);
        left.set(node, right.get(pivot));
        right.set(pivot, node);
        return pivot;
    }

    private int rotateLeft(int node) {
        int pivot = right.get(node);
        right.set(node, left.get(pivot));
        left.set(pivot, node);
        return pivot;
    }

    private int allocateSlot() {
        if (freeHead != NIL) {
            int slot = freeHead;
            freeHead = newest.get(slot);
            return slot;
        }
        if (highWater == keyAddress.capacity()) { // one more chunk per column; slots in use stay put
            keyAddress.ensure(highWater);
            keyLength.ensure(highWater);
            newest.ensure(highWater);
            left.ensure(highWater);
            right.ensure(highWater);
            priority.ensure(highWater);
            hashes.ensure(highWater);
        }
        return highWater++;
    }

    private static int mix(int slot) {
        long z = (slot + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) (z ^ (z >>> 31));
    }
}
