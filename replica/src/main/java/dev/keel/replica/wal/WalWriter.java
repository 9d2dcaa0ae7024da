package dev.keel.replica.wal;

import dev.keel.kernel.util.InvariantViolation;
import dev.keel.replica.Disk;
import dev.keel.replica.Disk.WriteStatus;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.LongArrayList;

import java.util.zip.CRC32C;

/**
 * Appends WAL records through the {@link Disk} port and decides the segment layout: a new segment starts when
 * the current one passes its size limit (its first record is the current hard state, so releasing older
 * segments never loses it), and segments whose every entry is covered by the snapshot are released, oldest
 * first and only as a prefix (a kept segment keeps everything after it).
 */
public final class WalWriter {
    private final Disk disk;
    private final int segmentBytes;
    private final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer record = new ExpandableArrayBuffer(256);
    /** Reused for every record: the append path allocates nothing. */
    private final CRC32C checksum = new CRC32C();
    /** A new segment's opening hard state, apart from {@link #payload}, which may hold a record waiting. */
    private final ExpandableArrayBuffer opening = new ExpandableArrayBuffer(WalRecord.HARD_STATE_LENGTH);
    /** Segments on disk, oldest first, and the highest entry index each holds. */
    private final LongArrayList sequences = new LongArrayList();
    private final LongArrayList maxIndexes = new LongArrayList();
    private int currentLength;
    /** A segment was started but its opening hard state could not be written yet (the disk was full). */
    private boolean openingPending;
    private long term;
    private long vote;
    private long commit;

    /** @param segmentBytes the size past which a new segment starts (etcd: 64 MiB) */
    public WalWriter(Disk disk, int segmentBytes) {
        this.disk = disk;
        this.segmentBytes = segmentBytes;
    }

    /** Continues the WAL that recovery read: appends go to its last segment. */
    public void resume(RecoveredLog log) {
        for (int i = 0; i < log.segmentSequences.length; i++) {
            sequences.addLong(log.segmentSequences[i]);
            maxIndexes.addLong(log.segmentMaxIndexes[i]);
        }
        currentLength = log.lastSegmentLength;
        // A crash can leave the newest segment empty (created, its opening hard state never written): write it
        // before anything else, or releasing the older segments would lose the term and vote they hold.
        openingPending = !sequences.isEmpty() && currentLength == 0;
        term = log.term;
        vote = log.vote;
        commit = log.commit;
    }

    /** Appends a hard-state record. */
    public WriteStatus hardState(long term, long vote, long commit) {
        WriteStatus s = write(WalRecord.hardState(payload, term, vote, commit));
        if (s == WriteStatus.OK) {
            this.term = term;
            this.vote = vote;
            this.commit = commit;
        }
        return s;
    }

    /** Appends an entry record. */
    public WriteStatus entry(long index, long term, byte type, DirectBuffer data, int offset, int length) {
        WriteStatus s = write(WalRecord.entry(payload, index, term, type, data, offset, length));
        if (s == WriteStatus.OK) {
            int last = maxIndexes.size() - 1;
            maxIndexes.setLong(last, Math.max(maxIndexes.getLong(last), index));
        }
        return s;
    }

    /**
     * Starts a new segment whose first records are a snapshot marker (the leader's snapshot at
     * {@code (index, term)} replaced the log) and the hard state; every older segment may then be released.
     */
    public WriteStatus snapshotMarker(long index, long term) {
        WriteStatus s = startSegment();
        return s != WriteStatus.OK ? s : write(WalRecord.snapshotMarker(payload, index, term));
    }

    /** Cuts a new segment if the current one is full; call between batches. */
    public WriteStatus rollIfFull() {
        return currentLength >= segmentBytes ? startSegment() : WriteStatus.OK;
    }

    /** Releases the longest prefix of older segments whose entries are all at or below {@code index}. */
    public void releaseCoveredBy(long index) {
        int keep = 0;
        while (keep < sequences.size() - 1 && maxIndexes.getLong(keep) <= index) {
            keep++;
        }
        releaseBefore(keep);
    }

    /** Releases every segment but the current one (after a snapshot marker made them irrelevant). */
    public void releaseAllButCurrent() {
        releaseBefore(sequences.size() - 1);
    }

    public int segmentCount() {
        return sequences.size();
    }

    private void releaseBefore(int keep) {
        if (keep <= 0) {
            return;
        }
        disk.releaseSegmentsBefore(sequences.getLong(keep));
        for (int i = 0; i < keep; i++) {
            sequences.removeAt(0);
            maxIndexes.removeAt(0);
        }
    }

    private WriteStatus startSegment() {
        long next = sequences.isEmpty() ? 0 : sequences.getLong(sequences.size() - 1) + 1;
        WriteStatus s = disk.startSegment(next);
        if (s != WriteStatus.OK) {
            return s;
        }
        sequences.addLong(next);
        maxIndexes.addLong(0);
        currentLength = 0;
        openingPending = true;
        return writeOpening();
    }

    private WriteStatus writeOpening() {
        WriteStatus s = append(opening, WalRecord.hardState(opening, term, vote, commit));
        openingPending = s != WriteStatus.OK;
        return s;
    }

    private WriteStatus write(int payloadLength) {
        if (sequences.isEmpty()) {
            WriteStatus s = startSegment();
            if (s != WriteStatus.OK) {
                return s;
            }
        }
        if (openingPending && writeOpening() != WriteStatus.OK) {
            return WriteStatus.NO_SPACE;
        }
        return append(payload, payloadLength);
    }

    private WriteStatus append(DirectBuffer source, int payloadLength) {
        int n = WalRecord.frame(record, 0, source, payloadLength, checksum);
        WriteStatus s = disk.append(record, 0, n);
        if (s == WriteStatus.OK) {
            currentLength += n;
        }
        if (currentLength < 0) {
            throw new InvariantViolation("WAL segment length overflowed: " + currentLength);
        }
        return s;
    }
}
