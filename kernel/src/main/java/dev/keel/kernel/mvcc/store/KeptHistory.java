package dev.keel.kernel.mvcc.store;

import org.agrona.collections.IntArrayList;

/**
 * The records of a key that compaction keeps: all above the compaction revision, plus the newest one at or
 * below it unless that is a tombstone. Snapshots and hashes read only these, so they do not depend on how
 * far the physical removal has got.
 */
public final class KeptHistory {
    private KeptHistory() {
    }

    /** Fills {@code out}, oldest first, with the kept records of {@code slot} up to {@code maxRevision}. */
    public static void collect(Keyspace keyspace, int slot, long maxRevision, IntArrayList out) {
        out.clear();
        RevisionRecords records = keyspace.records();
        long compacted = keyspace.compactRevision();
        for (int r = keyspace.keys().newest(slot); r != RevisionRecords.NIL; r = records.previous(r)) {
            long main = records.main(r);
            if (main <= compacted) {
                if (!records.isTombstone(r) && main <= maxRevision) {
                    out.addInt(r);
                }
                break;
            }
            if (main <= maxRevision) {
                out.addInt(r);
            }
        }
        // Reverse in place: the walk went newest first.
        for (int i = 0, j = out.size() - 1; i < j; i++, j--) {
            int t = out.getInt(i);
            out.setInt(i, out.getInt(j));
            out.setInt(j, t);
        }
    }
}
