package dev.keel.replica.wal;

import dev.keel.kernel.raft.InMemoryLogStorage;
import org.agrona.DirectBuffer;

/**
 * What recovery read back from a replica's disk: the log as the kernel will see it, the last hard state, the
 * MVCC snapshot to restore, where the WAL continues, and whether a torn tail was found or the disk refused.
 */
public final class RecoveredLog {
    /** Why the disk cannot be trusted (naming the segment and offset, or the snapshot file), or null. */
    public String corruption;
    public long term;
    public long vote;
    public long commit;
    public InMemoryLogStorage storage;
    /** The MVCC snapshot to restore, or null when the replica starts from an empty store. */
    public DirectBuffer snapshotData;
    public int snapshotOffset;
    public int snapshotLength;
    /**
     * The segment appends continue in (-1: none yet), and its length after a torn tail was cut (or without its
     * preallocated space).
     */
    public long lastSegment = -1;
    public int lastSegmentLength;
    /**
     * Where the zero-filled (preallocated) space after the last record begins in the last segment, or -1: the
     * clean end of the log, not damage; appends continue there.
     */
    public int preallocatedAt = -1;
    /** The segment and offset where a torn tail began (the host cuts it there), or -1. */
    public long tornSegment = -1;
    public int tornAt = -1;
    /** Per recovered segment, in order: its sequence and the highest entry index it holds (0: none). */
    public long[] segmentSequences = new long[0];
    public long[] segmentMaxIndexes = new long[0];

    /** How many WAL records recovery read. */
    public long records;

    /**
     * @return whether the disk held nothing durable: a brand-new member (possibly with an empty segment file
     *         left by a crash before its first sync — it acknowledged nothing)
     */
    public boolean empty() {
        return records == 0 && snapshotData == null;
    }

    public boolean corrupted() {
        return corruption != null;
    }

    /**
     * Cuts what follows the last good record of the last segment: a torn write (returns the note saying so) or
     * a file disk's preallocated zeros (returns null: that is not damage, the disk only learns where to resume).
     */
    public String cutTail(dev.keel.replica.Disk disk) {
        if (tornAt >= 0) {
            disk.truncate(tornSegment, tornAt);
            return "cut a torn WAL tail in segment " + tornSegment + " at offset " + tornAt;
        }
        if (preallocatedAt >= 0) {
            disk.truncate(lastSegment, preallocatedAt);
        }
        return null;
    }
}
