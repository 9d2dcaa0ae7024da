package dev.keel.kernel.mvcc.store;

import dev.keel.kernel.util.InvariantViolation;

import java.util.Arrays;

/**
 * The ids of the revision records newer than the compaction point, in revision order (main, sub), so that a
 * watcher catching up reads "everything since revision r" with one binary search and a forward scan,
 * instead of visiting every key. Entries below the compaction revision are dropped at compaction; a
 * tombstone exactly at the compaction revision becomes a hole (-1), because compaction frees it and etcd no
 * longer reports it either.
 */
public final class RevisionLog {
    private final RevisionRecords records;
    private int[] entries = new int[64];
    private int head;
    private int tail;
    private long holeRevision;
    private boolean holes;

    public RevisionLog(RevisionRecords records) {
        this.records = records;
    }

    /** Appends a record; records arrive in revision order. */
    public void append(int record) {
        if (tail != head && mainAt(tail - 1) > records.main(record)) {
            throw new InvariantViolation("revision log out of order: appending revision " + records.main(record)
                    + " after " + mainAt(tail - 1));
        }
        if (tail == entries.length) {
            if (head > entries.length / 2) {
                System.arraycopy(entries, head, entries, 0, tail - head);
                tail -= head;
                head = 0;
            } else {
                entries = Arrays.copyOf(entries, entries.length * 2);
            }
        }
        entries[tail++] = record;
    }

    /** Drops entries below {@code compactRevision} and punches holes for tombstones at it. */
    public void compact(long compactRevision) {
        while (head < tail && mainAt(head) < compactRevision) {
            head++;
        }
        holes = false;
        for (int i = head; i < tail && mainAt(i) == compactRevision; i++) {
            int record = entries[i];
            if (record >= 0 && records.isTombstone(record)) {
                entries[i] = -1;
                holes = true;
            }
        }
        holeRevision = compactRevision;
    }

    /**
     * @return the oldest revision whose events are all still here: the compaction revision, or the one after
     *         it if compaction freed a tombstone at it (a watcher starting there would miss that delete)
     */
    public long completeFrom(long compactRevision) {
        return holes && holeRevision == compactRevision ? compactRevision + 1 : compactRevision;
    }

    /** After a restore: whether the compaction at {@code compactRevision} had freed a tombstone at it. */
    public void restoreHoles(long compactRevision, boolean freed) {
        holeRevision = compactRevision;
        holes = freed;
    }

    /** Empties the log (restore). */
    public void clear() {
        head = 0;
        tail = 0;
        holes = false;
    }

    /** @return position of the first entry with main revision {@code >= revision} ({@link #end()} if none) */
    public int firstAtOrAfter(long revision) {
        int lo = head;
        int hi = tail;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (mainAt(mid) < revision) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** @return one past the last position */
    public int end() {
        return tail;
    }

    /** @return the record at {@code position}, or -1 for a hole */
    public int recordAt(int position) {
        return entries[position];
    }

    /** @return main revision at {@code position} (a hole sits at the compaction revision) */
    public long mainAt(int position) {
        int record = entries[position];
        return record < 0 ? holeRevision : records.main(record);
    }
}
