package dev.keel.replica.snapshot;

import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.mvcc.MvccStateMachine;
import dev.keel.kernel.raft.ConfState;
import dev.keel.replica.Disk;
import dev.keel.replica.DiskImage;
import dev.keel.replica.wal.WalWriter;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * etcd's {@code snapshot restore}: turns a store snapshot (what {@code Maintenance.Snapshot} streams, the bytes of
 * {@link MvccStateMachine#snapshot}) into the disk of a founding member of a NEW cluster that starts holding that
 * store — every key, its history since the last compaction, leases and the revision preserved, as etcd's restore
 * keeps them.
 *
 * <p>What it writes: a local snapshot file at Raft index {@code max(store's applied index, 1)} and term 1 whose
 * configuration is the new cluster's voters (the old cluster's membership is dropped, as etcd drops it), and a
 * WAL segment holding the hard state {@code term 1, no vote, commit = that index}. Every member restored with
 * the same {@code --initial-cluster} gets the same snapshot, so their logs agree from the start; entries after
 * the snapshot's index are new, and the store applies them (its applied index is that index or below). The
 * host only moves the bytes: it verifies the snapshot file's own checksum and hands this class a {@link Disk}.
 */
public final class SnapshotRestore {
    /** The term a restored cluster's log starts in: any elections happen in later terms. */
    static final long TERM = 1;

    private SnapshotRestore() {
    }

    /**
     * What restoring came to.
     *
     * @param error    null when the disk was written, else why not (nothing was written then)
     * @param revision the restored store's revision
     * @param index    the Raft index of the snapshot written
     */
    public record Result(String error, long revision, long index) {
        /** @return whether the member's disk was written */
        public boolean ok() {
            return error == null;
        }

        static Result refused(String why) {
            return new Result(why, 0, 0);
        }
    }

    /**
     * Writes a founding member's disk from a snapshot a client saved ({@link SavedSnapshot}, its hash removed).
     *
     * @param saved  the saved snapshot, {@code saved[0, length)}, its integrity already checked by whoever carried it
     */
    public static Result fromSaved(DirectBuffer saved, int length, ConfState members, Disk disk, int segmentBytes) {
        int store = SavedSnapshot.storeLength(saved, length);
        if (store < 0) {
            return Result.refused("the file is not a snapshot saved from a Keel member (no Keel snapshot header)");
        }
        return write(saved, SavedSnapshot.HEADER_BYTES, store, members, disk, segmentBytes);
    }

    /**
     * Writes a founding member's disk from a store snapshot.
     *
     * @param store        the store snapshot ({@code store[offset, offset + length)}), its integrity already checked
     *                     by whoever carried it
     * @param members      the new cluster's voters (every founding member's ID)
     * @param disk         the member's disk; it must be empty
     * @param segmentBytes the WAL segment size the member runs with
     */
    public static Result write(DirectBuffer store, int offset, int length, ConfState members, Disk disk,
                               int segmentBytes) {
        if (members.voterCount() == 0) {
            return Result.refused("the new cluster has no members");
        }
        MvccStateMachine check = new MvccStateMachine(new MvccConfig());
        if (!check.restore(store, offset, length)) {
            return Result.refused("the file does not hold a Keel store snapshot (wrong format or damaged)");
        }
        DiskImage image = disk.load();
        if (image.segmentCount() > 0 || image.snapshot() != null) {
            return Result.refused("the data directory already holds a member's data");
        }
        long index = Math.max(check.appliedIndex(), 1);
        ExpandableArrayBuffer file = new ExpandableArrayBuffer(length + 256);
        int fileLength = SnapshotFile.encode(file, SnapshotFile.LOCAL, index, TERM, members, store, offset, length);
        if (disk.writeSnapshot(file, 0, fileLength) != Disk.WriteStatus.OK) {
            return Result.refused("no space left on the device for the snapshot file");
        }
        WalWriter wal = new WalWriter(disk, segmentBytes);
        if (wal.hardState(TERM, 0, index) != Disk.WriteStatus.OK) {
            return Result.refused("no space left on the device for the write-ahead log");
        }
        disk.sync(0);
        return new Result(null, check.revision(), index);
    }
}
