package dev.keel.kernel.mvcc.store;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Every stored revision of every key, as rows of parallel primitive arrays (no object per revision). A row
 * is one put or one tombstone: its revision (main, sub), the key's slot, etcd's create revision, version and
 * lease, the value bytes (in a {@link ByteArena}) and the previous row of the same key, so that a key's
 * history is a chain from its newest row back to the oldest one kept. A tombstone has create revision 0,
 * as etcd writes it.
 */
public final class RevisionRecords {
    /** No record. */
    public static final int NIL = -1;

    private final ByteArena values = new ByteArena();
    private long[] main = new long[16];
    private int[] sub = new int[16];
    private long[] create = new long[16];
    private long[] version = new long[16];
    private long[] lease = new long[16];
    private long[] valueAddress = new long[16];
    private int[] valueLength = new int[16];
    private int[] keySlot = new int[16];
    private int[] previous = new int[16];
    private int highWater;
    private int freeHead = NIL;
    private int live;

    /** Adds a put row; {@code previous} is the key's newer-most row before it (or {@link #NIL}). */
    public int addPut(int slot, long mainRev, int subRev, long createRev, long ver, long leaseId,
                      DirectBuffer value, int valueOffset, int length, int previousRecord) {
        int id = allocate();
        long address = values.allocate(length);
        if (length > 0) {
            values.page(address).putBytes(ByteArena.offset(address), value, valueOffset, length);
        }
        fill(id, slot, mainRev, subRev, createRev, ver, leaseId, address, length, previousRecord);
        return id;
    }

    /** Adds a tombstone row. */
    public int addTombstone(int slot, long mainRev, int subRev, int previousRecord) {
        int id = allocate();
        fill(id, slot, mainRev, subRev, 0, 0, 0, ByteArena.EMPTY, 0, previousRecord);
        return id;
    }

    /** Frees a row and its value. */
    public void free(int id) {
        values.free(valueAddress[id], valueLength[id]);
        valueAddress[id] = ByteArena.EMPTY;
        valueLength[id] = 0;
        keySlot[id] = NIL;
        previous[id] = freeHead;
        freeHead = id;
        live--;
    }

    /** @return main revision of the row */
    public long main(int id) {
        return main[id];
    }

    /** @return sub revision of the row (its position among the writes of its revision) */
    public int sub(int id) {
        return sub[id];
    }

    /** @return create revision of the key's generation, 0 for a tombstone */
    public long createRevision(int id) {
        return create[id];
    }

    /** @return version within the generation, 0 for a tombstone */
    public long version(int id) {
        return version[id];
    }

    /** @return lease attached by this put, 0 for none */
    public long lease(int id) {
        return lease[id];
    }

    /** @return whether the row records a delete */
    public boolean isTombstone(int id) {
        return create[id] == 0;
    }

    /** @return key slot of the row */
    public int keySlot(int id) {
        return keySlot[id];
    }

    /** @return the previous (older) row of the same key, or {@link #NIL} */
    public int previous(int id) {
        return previous[id];
    }

    /** Cuts or relinks the history chain (compaction). */
    public void previous(int id, int older) {
        previous[id] = older;
    }

    /** @return length of the value */
    public int valueLength(int id) {
        return valueLength[id];
    }

    /** @return buffer holding the value; index it with {@link #valueOffset} */
    public DirectBuffer valueBuffer(int id) {
        long address = valueAddress[id];
        return address == ByteArena.EMPTY ? EMPTY : values.page(address);
    }

    /** @return where the value starts in {@link #valueBuffer} */
    public int valueOffset(int id) {
        return ByteArena.offset(valueAddress[id]);
    }

    /** @return number of live rows */
    public int size() {
        return live;
    }

    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private void fill(int id, int slot, long mainRev, int subRev, long createRev, long ver, long leaseId,
                      long address, int length, int previousRecord) {
        main[id] = mainRev;
        sub[id] = subRev;
        create[id] = createRev;
        version[id] = ver;
        lease[id] = leaseId;
        valueAddress[id] = address;
        valueLength[id] = length;
        keySlot[id] = slot;
        previous[id] = previousRecord;
        live++;
    }

    private int allocate() {
        if (freeHead != NIL) {
            int id = freeHead;
            freeHead = previous[id];
            return id;
        }
        if (highWater == main.length) {
            int capacity = highWater * 2;
            main = Arrays.copyOf(main, capacity);
            sub = Arrays.copyOf(sub, capacity);
            create = Arrays.copyOf(create, capacity);
            version = Arrays.copyOf(version, capacity);
            lease = Arrays.copyOf(lease, capacity);
            valueAddress = Arrays.copyOf(valueAddress, capacity);
            valueLength = Arrays.copyOf(valueLength, capacity);
            keySlot = Arrays.copyOf(keySlot, capacity);
            previous = Arrays.copyOf(previous, capacity);
        }
        return highWater++;
    }
}
