package dev.keel.replica;

import dev.keel.kernel.raft.EntryView;
import dev.keel.kernel.raft.LogStorage;
import dev.keel.kernel.raft.Ready;
import dev.keel.replica.Disk.WriteStatus;
import dev.keel.replica.snapshot.SnapshotFile;
import dev.keel.replica.wal.WalWriter;
import dev.keel.kernel.util.SizedBuffers;
import org.agrona.ExpandableArrayBuffer;

/**
 * Writes what a {@link Ready} asks to make durable: a snapshot from the leader (snapshot file first, then a
 * new WAL segment opening with its marker), the entries, the hard state — and this replica's own snapshots.
 * Writing a batch again after a failure is harmless: a later record for an index replaces the earlier one.
 */
final class ReadyWriter {
    private final Disk disk;
    private final WalWriter wal;
    private final EntryView view = new EntryView();
    /** Sized from the snapshot's length before each encode (growth while writing would copy it), then dropped. */
    private ExpandableArrayBuffer file = new ExpandableArrayBuffer(4096);

    ReadyWriter(Disk disk, WalWriter wal) {
        this.disk = disk;
        this.wal = wal;
    }

    /** @return {@link WriteStatus#OK} once everything of the batch was written (not yet synced) */
    WriteStatus persist(Ready ready) {
        if (ready.hasSnapshot()) {
            sizeFile(ready.snapshotLength());
            int n = SnapshotFile.encode(file, SnapshotFile.RECEIVED, ready.snapshotIndex(), ready.snapshotTerm(),
                    ready.snapshotConf(), ready.snapshotData(), 0, ready.snapshotLength());
            WriteStatus written = disk.writeSnapshot(file, 0, n);
            file = SizedBuffers.shrink(file);
            if (written != WriteStatus.OK
                    || wal.snapshotMarker(ready.snapshotIndex(), ready.snapshotTerm()) != WriteStatus.OK) {
                return WriteStatus.NO_SPACE;
            }
        }
        for (long i = ready.persistFrom(); i <= ready.persistTo(); i++) {
            ready.entry(i, view);
            if (wal.entry(i, view.term(), view.type(), view.buffer(), view.offset(), view.length())
                    != WriteStatus.OK) {
                return WriteStatus.NO_SPACE;
            }
        }
        if (ready.hasHardState() && wal.hardState(ready.term(), ready.vote(), ready.commit()) != WriteStatus.OK) {
            return WriteStatus.NO_SPACE;
        }
        return WriteStatus.OK;
    }

    /** A batch with a leader's snapshot is durable: the segments before its marker hold only the old log. */
    void snapshotDurable() {
        wal.releaseAllButCurrent();
    }

    /**
     * Writes the replica's own snapshot (already recorded in {@code log}) as the snapshot file and releases
     * the WAL segments it covers.
     */
    WriteStatus writeLocalSnapshot(LogStorage log) {
        sizeFile(log.snapshotLength());
        int n = SnapshotFile.encode(file, SnapshotFile.LOCAL, log.snapshotIndex(), log.snapshotTerm(),
                log.snapshotConf(), log.snapshotData(), 0, log.snapshotLength());
        WriteStatus s = disk.writeSnapshot(file, 0, n);
        file = SizedBuffers.shrink(file); // written: the kernel's log keeps the one copy followers are sent
        if (s == WriteStatus.OK) {
            wal.releaseCoveredBy(log.snapshotIndex());
        }
        return s;
    }

    private void sizeFile(int dataLength) {
        long needed = SnapshotFile.maxLength(dataLength);
        if (!SizedBuffers.fits(file, needed)) {
            file = null; // the old bytes are garbage before the new buffer is allocated
            file = SizedBuffers.allocate(needed);
        }
    }

    /** Between batches: start a new segment if the current one is full (a full disk retries next time). */
    void rollIfFull() {
        wal.rollIfFull();
    }
}
