package dev.keel.kernel.mvcc.store;

import dev.keel.kernel.util.InvariantViolation;

import java.util.Arrays;

/**
 * Accounts the bytes the keyspace holds, for the quota. Each record costs its key, its value and a fixed
 * overhead. When a newer write supersedes a record at revision r, the record becomes garbage for any
 * compaction at or beyond r; its cost is booked in the bucket of r, and {@link #compact} releases the buckets
 * up to the compaction revision at once. So usage drops when compaction is applied, identically on every
 * replica, however far the physical removal has got.
 */
public final class SpaceLedger {
    /** Fixed cost of one record, roughly what a revision costs etcd's backend beyond key and value. */
    public static final int RECORD_OVERHEAD = 64;

    private long used;
    private long[] buckets = new long[64];
    private long baseRevision = 1;
    private int count;

    /** @return cost of a record with a key and value of these lengths */
    public static long cost(int keyLength, int valueLength) {
        return (long) keyLength + valueLength + RECORD_OVERHEAD;
    }

    /** Books a new record. */
    public void added(long bytes) {
        used += bytes;
    }

    /** Books bytes that become garbage once compaction reaches {@code revision}. */
    public void garbageAt(long revision, long bytes) {
        InvariantViolation.check(revision >= baseRevision,
                "garbage booked below the compaction point (revision, first kept revision)", revision, baseRevision);
        int index = (int) (revision - baseRevision);
        if (index >= buckets.length) {
            buckets = Arrays.copyOf(buckets, Math.max(buckets.length * 2, index + 1));
        }
        buckets[index] += bytes;
        count = Math.max(count, index + 1);
    }

    /** Releases every bucket up to and including {@code revision}. */
    public void compact(long revision) {
        int upTo = (int) Math.min(count, revision - baseRevision + 1);
        if (upTo <= 0) {
            return;
        }
        for (int i = 0; i < upTo; i++) {
            used -= buckets[i];
        }
        System.arraycopy(buckets, upTo, buckets, 0, count - upTo);
        Arrays.fill(buckets, count - upTo, count, 0);
        count -= upTo;
        baseRevision = revision + 1;
    }

    /** @return bytes held by the kept history */
    public long used() {
        return used;
    }

    /** Forgets everything; the next garbage is booked from {@code firstRevision} on (restore). */
    public void reset(long firstRevision) {
        used = 0;
        Arrays.fill(buckets, 0);
        count = 0;
        baseRevision = firstRevision;
    }
}
