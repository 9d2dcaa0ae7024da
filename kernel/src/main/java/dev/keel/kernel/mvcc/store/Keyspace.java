package dev.keel.kernel.mvcc.store;

import dev.keel.kernel.util.InvariantViolation;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;

/**
 * etcd's keyspace: ordered keys, each with its chain of revision records, and the store revision. Writes
 * happen inside a write transaction ({@link #beginWrite()} .. {@link #endWrite()}) that takes one main
 * revision if it changes anything; each put or delete in it gets the next sub revision. Versions, create
 * revisions and generations follow etcd: a put on a live key increments its version, a put after a delete
 * starts a new generation at version 1, a delete writes a tombstone.
 */
public final class Keyspace {
    private final KeyIndex keys = new KeyIndex();
    private final RevisionRecords records = new RevisionRecords();
    private final RevisionLog log = new RevisionLog(records);
    private final SpaceLedger space = new SpaceLedger();
    private final IntArrayList changes = new IntArrayList();
    private LeaseAttachments leases;
    private long currentRevision = 1;
    private long compactRevision;
    private boolean writing;

    /** Connects the lease table; must be called before the first write. */
    public void leases(LeaseAttachments leaseAttachments) {
        this.leases = leaseAttachments;
    }

    /** @return the key index */
    public KeyIndex keys() {
        return keys;
    }

    /** @return the revision rows */
    public RevisionRecords records() {
        return records;
    }

    /** @return the revision log */
    public RevisionLog log() {
        return log;
    }

    /** @return the space ledger */
    public SpaceLedger space() {
        return space;
    }

    /** @return the store revision (etcd's {@code currentRev}) */
    public long currentRevision() {
        return currentRevision;
    }

    /** @return the compaction revision; reads below it fail */
    public long compactRevision() {
        return compactRevision;
    }

    /** @return the revision reads see: inside a write that changed something, the write's own revision */
    public long readRevision() {
        return writing && !changes.isEmpty() ? currentRevision + 1 : currentRevision;
    }

    /** @return the revision a write in progress assigns */
    public long writeRevision() {
        return currentRevision + 1;
    }

    /** @return the records written by the write in progress (or the last one), in sub-revision order */
    public IntArrayList changes() {
        return changes;
    }

    /** Starts a write transaction. */
    public void beginWrite() {
        InvariantViolation.check(!writing, "nested write transaction");
        writing = true;
        changes.clear();
    }

    /** Ends the write transaction; returns the store revision after it. */
    public long endWrite() {
        InvariantViolation.check(writing, "endWrite without a write transaction");
        writing = false;
        if (!changes.isEmpty()) {
            currentRevision++;
        }
        return currentRevision;
    }

    /** @return the record of {@code slot} visible at {@code revision}, or NIL when absent or deleted */
    public int visible(int slot, long revision) {
        int record = keys.newest(slot);
        while (record != RevisionRecords.NIL && records.main(record) > revision) {
            record = records.previous(record);
        }
        return record == RevisionRecords.NIL || records.isTombstone(record) ? RevisionRecords.NIL : record;
    }

    /** @return the record of the key visible at {@code revision}, or NIL */
    public int visible(DirectBuffer key, int offset, int length, long revision) {
        int slot = keys.find(key, offset, length);
        return slot == KeyIndex.NIL ? RevisionRecords.NIL : visible(slot, revision);
    }

    /**
     * Writes a put of the key; returns its record. The lease, if any, must exist.
     *
     * @param slot the key's slot if the caller looked it up already, else {@link KeyIndex#NIL}
     */
    public int put(int slot, DirectBuffer key, int keyOffset, int keyLength, DirectBuffer value, int valueOffset,
                   int valueLength, long lease) {
        InvariantViolation.check(writing, "put outside a write transaction");
        InvariantViolation.check(slot == KeyIndex.NIL || keys.compareTo(key, keyOffset, keyLength, slot) == 0,
                "put: the slot passed holds another key (slot)", slot);
        if (slot == KeyIndex.NIL) {
            slot = keys.find(key, keyOffset, keyLength);
        }
        if (slot == KeyIndex.NIL) {
            slot = keys.insert(key, keyOffset, keyLength);
        }
        long revision = writeRevision();
        int previous = keys.newest(slot);
        boolean live = previous != RevisionRecords.NIL && !records.isTombstone(previous);
        long create = live ? records.createRevision(previous) : revision;
        long version = live ? records.version(previous) + 1 : 1;
        long oldLease = live ? records.lease(previous) : 0;
        int record = records.addPut(slot, revision, changes.size(), create, version, lease,
                value, valueOffset, valueLength, previous);
        keys.newest(slot, record);
        if (oldLease != lease) {
            if (oldLease != 0) {
                leases.detach(oldLease, slot);
            }
            if (lease != 0) {
                leases.attach(lease, slot);
            }
        }
        bookSpace(record, previous, keyLength);
        recordChange(record);
        return record;
    }

    /** Writes a tombstone for the live key in {@code slot}; returns the tombstone record. */
    public int delete(int slot) {
        InvariantViolation.check(writing, "delete outside a write transaction");
        int previous = keys.newest(slot);
        InvariantViolation.check(previous != RevisionRecords.NIL && !records.isTombstone(previous),
                "deleting a key that is not live (slot, newest record)", slot, previous);
        long revision = writeRevision();
        int record = records.addTombstone(slot, revision, changes.size(), previous);
        keys.newest(slot, record);
        if (records.lease(previous) != 0) {
            leases.detach(records.lease(previous), slot);
        }
        bookSpace(record, previous, keys.keyLength(slot));
        recordChange(record);
        return record;
    }

    /** Makes revisions below {@code revision} unreadable; physical removal is the {@link Compactor}'s. */
    public void compact(long revision) {
        InvariantViolation.check(revision > compactRevision && revision <= currentRevision,
                "compaction out of range (revision, compacted, current)", revision, compactRevision, currentRevision);
        log.compact(revision);
        space.compact(revision);
        compactRevision = revision;
    }

    /** Sets the revisions after a restore. */
    public void restoreRevisions(long current, long compacted) {
        currentRevision = current;
        compactRevision = compacted;
        space.reset(compacted + 1);
    }

    /**
     * Books a new record's cost, and what becomes garbage at its revision: the put it supersedes, and a
     * tombstone itself (compaction at or past its revision removes it).
     */
    private void bookSpace(int record, int previous, int keyLength) {
        boolean tombstone = records.isTombstone(record);
        long cost = SpaceLedger.cost(keyLength, records.valueLength(record));
        space.added(cost);
        long garbage = tombstone ? cost : 0;
        if (previous != RevisionRecords.NIL && !records.isTombstone(previous)) {
            garbage += SpaceLedger.cost(keyLength, records.valueLength(previous));
        }
        if (garbage > 0) {
            space.garbageAt(records.main(record), garbage);
        }
    }

    private void recordChange(int record) {
        changes.addInt(record);
        log.append(record);
    }

    /**
     * Restore: appends a record to the chain of {@code slot} (a key's records arrive oldest first), booking
     * its space as the original write did. Attach leases and rebuild the log once every key is loaded.
     */
    public int restoreRecord(int slot, long main, int sub, long create, long version, long lease,
                             DirectBuffer value, int valueOffset, int valueLength, boolean tombstone) {
        int previous = keys.newest(slot);
        int keyLength = keys.keyLength(slot);
        int record = tombstone ? records.addTombstone(slot, main, sub, previous)
                : records.addPut(slot, main, sub, create, version, lease, value, valueOffset, valueLength, previous);
        keys.newest(slot, record);
        bookSpace(record, previous, keyLength);
        return record;
    }

    /** Restore: refills the revision log from every record at or above the compaction revision. */
    public void rebuildLog() {
        int[] ids = new int[records.size()];
        int count = 0;
        KeyCursor cursor = new KeyCursor();
        for (int slot = keys.first(cursor); slot != KeyIndex.NIL; slot = keys.next(cursor)) {
            for (int r = keys.newest(slot); r != RevisionRecords.NIL && records.main(r) >= compactRevision;
                    r = records.previous(r)) {
                ids[count++] = r;
            }
        }
        RecordSorter.sortByRevision(records, ids, count);
        log.clear();
        for (int i = 0; i < count; i++) {
            log.append(ids[i]);
        }
    }
}
