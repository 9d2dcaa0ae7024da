package dev.keel.kernel.mvcc.store;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every stored revision of every key, as rows of parallel chunked columns (no object per revision). A row
 * is one put or one tombstone: its revision (main, sub), the key's slot, etcd's create revision, version and
 * lease, the value bytes (in a {@link ByteArena}) and the previous row of the same key, so that a key's
 * history is a chain from its newest row back to the oldest one kept. A tombstone has create revision 0,
 * as etcd writes it.
 */
public final class RevisionRecords {
    /** No record. */
    public static final int NIL = -1;

    private final ByteArena values = new ByteArena();
    private final LongColumn main = new LongColumn();
    private final IntColumn sub = new IntColumn();
    private final LongColumn create = new LongColumn();
    private final LongColumn version = new LongColumn();
    private final LongColumn lease = new LongColumn();
    private final LongColumn valueAddress = new LongColumn();
    private final IntColumn valueLength = new IntColumn();
    private final IntColumn keySlot = new IntColumn();
    private final IntColumn previous = new IntColumn();
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
        values.free(valueAddress.get(id), valueLength.get(id));
        valueAddress.set(id, ByteArena.EMPTY);
        valueLength.set(id, 0);
        keySlot.set(id, NIL);
        previous.set(id, freeHead);
        freeHead = id;
        live--;
    }

    /** @return main revision of the row */
    public long main(int id) {
        return main.get(id);
    }

    /** @return sub revision of the row (its position among the writes of its revision) */
    public int sub(int id) {
        return sub.get(id);
    }

    /** @return create revision of the key's generation, 0 for a tombstone */
    public long createRevision(int id) {
        return create.get(id);
    }

    /** @return version within the generation, 0 for a tombstone */
    public long version(int id) {
        return version.get(id);
    }

    /** @return lease attached by this put, 0 for none */
    public long lease(int id) {
        return lease.get(id);
    }

    /** @return whether the row records a delete */
    public boolean isTombstone(int id) {
        return create.get(id) == 0;
    }

    /** @return key slot of the row */
    public int keySlot(int id) {
        return keySlot.get(id);
    }

    /** @return the previous (older) row of the same key, or {@link #NIL} */
    public int previous(int id) {
        return previous.get(id);
    }

    /** Cuts or relinks the history chain (compaction). */
    public void previous(int id, int older) {
        previous.set(id, older);
    }

    /** @return length of the value */
    public int valueLength(int id) {
        return valueLength.get(id);
    }

    /** @return buffer holding the value; index it with {@link #valueOffset} */
    public DirectBuffer valueBuffer(int id) {
        long address = valueAddress.get(id);
        return address == ByteArena.EMPTY ? EMPTY : values.page(address);
    }

    /** @return where the value starts in {@link #valueBuffer} */
    public int valueOffset(int id) {
        return ByteArena.offset(valueAddress.get(id));
    }

    /** @return rows the columns can hold before they add a chunk (live, free and never used ones) */
    public int capacity() {
        return main.capacity();
    }

    /** @return bytes reserved by the value arena (live slots rounded up to their slot sizes) */
    public long valueBytesReserved() {
        return values.reservedBytes();
    }

    /** @return bytes of the value arena's pages (reserved, free and not yet carved) */
    public long valueBytesCapacity() {
        return values.capacityBytes();
    }

    /** @return number of live rows */
    public int size() {
        return live;
    }

    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private void fill(int id, int slot, long mainRev, int subRev, long createRev, long ver, long leaseId,
                      long address, int length, int previousRecord) {
        main.set(id, mainRev);
        sub.set(id, subRev);
        create.set(id, createRev);
        version.set(id, ver);
        lease.set(id, leaseId);
        valueAddress.set(id, address);
        valueLength.set(id, length);
        keySlot.set(id, slot);
        previous.set(id, previousRecord);
        live++;
    }

    private int allocate() {
        if (freeHead != NIL) {
            int id = freeHead;
            freeHead = previous.get(id);
            return id;
        }
        if (highWater == main.capacity()) { // one more chunk per column; rows already stored stay put
            main.ensure(highWater);
            sub.ensure(highWater);
            create.ensure(highWater);
            version.ensure(highWater);
            lease.ensure(highWater);
            valueAddress.ensure(highWater);
            valueLength.ensure(highWater);
            keySlot.ensure(highWater);
            previous.ensure(highWater);
        }
        return highWater++;
    }
}
