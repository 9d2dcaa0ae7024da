package dev.keel.kernel.mvcc.store;

import org.agrona.collections.IntArrayList;

/**
 * Physically removes what a compaction made unreadable, a bounded number of records per {@link #step},
 * so that compacting a million revisions never holds the kernel thread for long. For each key it keeps the
 * newest record at or below the compaction revision unless that record is a tombstone (then the key's
 * older history goes too, and a key left with nothing leaves the index), exactly like etcd's
 * {@code keyIndex.compact}. Reads never look below the compaction revision, so how far this has got is
 * invisible to clients, snapshots and hashes.
 */
public final class Compactor {
    private final Keyspace keyspace;
    private long target;
    private int nextSlot;
    private final IntArrayList garbageChains = new IntArrayList();
    private int garbage = RevisionRecords.NIL;
    private boolean active;

    public Compactor(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    /** Starts (or restarts, for a newer revision) a physical compaction. */
    public void start(long revision) {
        target = revision;
        nextSlot = 0;
        active = true;
    }

    /** @return whether physical removal is still in progress */
    public boolean active() {
        return active || garbage != RevisionRecords.NIL;
    }

    /**
     * Does at most about {@code budget} units of work (records visited or freed).
     *
     * @return whether work remains
     */
    public boolean step(int budget) {
        int work = freeGarbage(budget);
        KeyIndex keys = keyspace.keys();
        while (active && work < budget) {
            if (nextSlot >= keys.highWater()) {
                active = false;
                break;
            }
            int slot = nextSlot++;
            if (keys.isLive(slot)) {
                work += 1 + compactKey(slot);
                work += freeGarbage(budget - work);
            }
        }
        return active();
    }

    /** Cuts the key's chain below the kept record, queueing the cut-off part; returns records visited. */
    private int compactKey(int slot) {
        KeyIndex keys = keyspace.keys();
        RevisionRecords records = keyspace.records();
        int newer = RevisionRecords.NIL;
        int record = keys.newest(slot);
        int visited = 0;
        while (record != RevisionRecords.NIL && records.main(record) > target) {
            newer = record;
            record = records.previous(record);
            visited++;
        }
        if (record == RevisionRecords.NIL) {
            return visited;
        }
        int cut = record;
        if (!records.isTombstone(record)) {
            cut = records.previous(record);
            records.previous(record, RevisionRecords.NIL);
        } else if (newer == RevisionRecords.NIL) {
            keys.newest(slot, RevisionRecords.NIL);
        } else {
            records.previous(newer, RevisionRecords.NIL);
        }
        queueGarbage(cut);
        if (keys.newest(slot) == RevisionRecords.NIL) {
            keys.remove(slot);
        }
        return visited;
    }

    private void queueGarbage(int chain) {
        if (chain == RevisionRecords.NIL) {
            return;
        }
        if (garbage == RevisionRecords.NIL) {
            garbage = chain;
        } else {
            garbageChains.addInt(chain);
        }
    }

    private int freeGarbage(int budget) {
        RevisionRecords records = keyspace.records();
        int freed = 0;
        while (garbage != RevisionRecords.NIL && freed < budget) {
            int next = records.previous(garbage);
            records.free(garbage);
            garbage = next;
            freed++;
            if (garbage == RevisionRecords.NIL && !garbageChains.isEmpty()) {
                garbage = garbageChains.removeAt(garbageChains.size() - 1);
            }
        }
        return freed;
    }
}
