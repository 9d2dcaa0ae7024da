package dev.keel.replica.wal;

import dev.keel.kernel.raft.InMemoryLogStorage;
import dev.keel.replica.DiskImage;
import dev.keel.replica.snapshot.SnapshotFile;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a replica's disk back at start-up: the snapshot file, then every WAL segment in order. A later entry
 * record for an index replaces the earlier one and everything after it (the leader overwrote a suffix); a
 * snapshot marker drops every entry read before it (the leader's snapshot replaced the log); the last hard
 * state wins. A record cut short at the end of the last segment is a torn write — cut there; anything else
 * that fails a check is corruption, refused with the segment and offset named.
 *
 * <p>Preallocated space: a file disk zero-fills a segment before using it (etcd preallocates its 64 MiB
 * segments), so the last segment may end in zeros. A run of zero bytes reaching the end of the last segment,
 * beginning where a record would begin, is the clean end of the log. A record whose checksum fails while
 * everything from a sector boundary inside it to the end of the last segment is zero, with the zeros running on
 * past its end, is a torn write into preallocated space (etcd's {@code isTornEntry}: a crash persisted only a
 * prefix of its sectors). Zeros anywhere else — in a segment before the last, or followed by other bytes — are
 * corruption.
 */
public final class WalRecovery {
    /** The unit a device persists atomically: a torn write keeps a prefix of whole sectors (etcd: 512). */
    static final int SECTOR_BYTES = 512;
    private final SnapshotFile snapshot = new SnapshotFile();
    private final List<long[]> entryMeta = new ArrayList<>(); // {index, term, type}
    private final List<byte[]> entryData = new ArrayList<>();
    private final RecoveredLog result = new RecoveredLog();
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    private long markerIndex = -1;
    private long markerTerm = -1;

    private WalRecovery() {
    }

    /** @return what the disk holds; check {@link RecoveredLog#corrupted()} before using it */
    public static RecoveredLog read(DiskImage disk) {
        return new WalRecovery().run(disk);
    }

    private RecoveredLog run(DiskImage disk) {
        if (disk.snapshot() != null) {
            String bad = snapshot.decode(disk.snapshot(), disk.snapshotLength());
            if (bad != null) {
                result.corruption = bad;
                return result;
            }
            result.snapshotData = snapshot.buffer;
            result.snapshotOffset = snapshot.dataOffset;
            result.snapshotLength = snapshot.dataLength;
        }
        int n = disk.segmentCount();
        result.segmentSequences = new long[n];
        result.segmentMaxIndexes = new long[n];
        for (int i = 0; i < n && result.corruption == null; i++) {
            result.segmentSequences[i] = disk.segmentSequence(i);
            readSegment(disk, i, i == n - 1);
        }
        if (result.corruption == null) {
            buildStorage();
        }
        return result;
    }

    private void readSegment(DiskImage disk, int i, boolean last) {
        DirectBuffer wal = disk.segment(i);
        int length = disk.segmentLength(i);
        long sequence = disk.segmentSequence(i);
        // Only the last segment may carry preallocated space; elsewhere zeros are read as records (and fail).
        int zerosFrom = last ? trailingZerosFrom(wal, length) : length;
        int at = 0;
        while (at < length && result.corruption == null) {
            if (at >= zerosFrom) {
                result.preallocatedAt = at;
                break;
            }
            int remaining = length - at;
            int size = remaining < WalRecord.HEADER ? -1 : wal.getInt(at + WalRecord.LENGTH_OFFSET, WalRecord.ORDER);
            if (remaining >= WalRecord.HEADER) {
                int crc = wal.getInt(at + WalRecord.PAYLOAD_CRC_OFFSET, WalRecord.ORDER);
                if (wal.getInt(at + WalRecord.HEADER_CRC_OFFSET, WalRecord.ORDER) != WalRecord.headerCrc(size, crc)
                        || size < 1) {
                    if (tornIntoZeros(at, at + WalRecord.HEADER, zerosFrom, length)) {
                        torn(sequence, at);
                    } else {
                        corrupt(sequence, at, isZero(wal, at, WalRecord.HEADER)
                                ? "zero bytes where a record should begin" : "record header checksum mismatch");
                    }
                    break;
                }
                if (size <= remaining - WalRecord.HEADER) {
                    if (WalRecord.crc(wal, at + WalRecord.HEADER, size) != crc) {
                        if (tornIntoZeros(at, at + WalRecord.HEADER + size, zerosFrom, length)) {
                            torn(sequence, at);
                        } else {
                            corrupt(sequence, at, "record checksum mismatch");
                        }
                        break;
                    }
                    payload.wrap(wal, at + WalRecord.HEADER, size);
                    apply(payload, sequence, at, i);
                    result.records++;
                    at += WalRecord.HEADER + size;
                    continue;
                }
            }
            if (!last) {
                corrupt(sequence, at, "record cut short before the end of the log");
                break;
            }
            torn(sequence, at);
            break;
        }
        if (last) {
            result.lastSegment = sequence;
            result.lastSegmentLength = result.tornAt >= 0 ? result.tornAt
                    : result.preallocatedAt >= 0 ? result.preallocatedAt : length;
        }
    }

    private void torn(long sequence, int at) {
        result.tornSegment = sequence;
        result.tornAt = at;
    }

    /**
     * @return whether the record at {@code [at, end)} of the last segment is a torn write into preallocated
     *         space: the zeros reaching the segment's end start by a sector boundary inside the record and run
     *         on past its end (a record ending exactly at the segment's end is not given that benefit)
     */
    private static boolean tornIntoZeros(int at, int end, int zerosFrom, int length) {
        if (zerosFrom >= length || end >= length) {
            return false;
        }
        long boundary = (zerosFrom + (long) SECTOR_BYTES - 1) / SECTOR_BYTES * SECTOR_BYTES;
        return boundary > at && boundary < end;
    }

    /** @return where the run of zero bytes reaching {@code length} begins ({@code length}: none) */
    static int trailingZerosFrom(DirectBuffer wal, int length) {
        int from = length;
        while (from >= Long.BYTES && wal.getLong(from - Long.BYTES) == 0) {
            from -= Long.BYTES; // eight at a time: a 64 MiB preallocated tail is scanned at every start
        }
        while (from > 0 && wal.getByte(from - 1) == 0) {
            from--;
        }
        return from;
    }

    private static boolean isZero(DirectBuffer wal, int at, int n) {
        for (int k = 0; k < n; k++) {
            if (wal.getByte(at + k) != 0) {
                return false;
            }
        }
        return true;
    }

    private void corrupt(long sequence, int offset, String what) {
        result.corruption = what + " in WAL segment " + sequence + " at offset " + offset;
    }

    private void apply(DirectBuffer p, long sequence, int offset, int segmentIndex) {
        switch (p.getByte(WalRecord.TYPE_OFFSET)) {
            case WalRecord.HARD_STATE:
                result.term = p.getLong(WalRecord.TERM_OFFSET, WalRecord.ORDER);
                result.vote = p.getLong(WalRecord.VOTE_OFFSET, WalRecord.ORDER);
                result.commit = p.getLong(WalRecord.COMMIT_OFFSET, WalRecord.ORDER);
                break;
            case WalRecord.ENTRY: {
                long index = p.getLong(WalRecord.INDEX_OFFSET, WalRecord.ORDER);
                int length = p.getInt(WalRecord.DATA_LENGTH_OFFSET, WalRecord.ORDER);
                if (length < 0 || WalRecord.DATA_OFFSET + length != p.capacity()) {
                    corrupt(sequence, offset, "entry record with an inconsistent length");
                    return;
                }
                while (!entryMeta.isEmpty() && entryMeta.get(entryMeta.size() - 1)[0] >= index) {
                    entryMeta.remove(entryMeta.size() - 1);
                    entryData.remove(entryData.size() - 1);
                }
                byte[] data = new byte[length];
                p.getBytes(WalRecord.DATA_OFFSET, data);
                entryMeta.add(new long[]{index, p.getLong(WalRecord.ENTRY_TERM_OFFSET, WalRecord.ORDER),
                        p.getByte(WalRecord.ENTRY_TYPE_OFFSET)});
                entryData.add(data);
                result.segmentMaxIndexes[segmentIndex] = Math.max(result.segmentMaxIndexes[segmentIndex], index);
                break;
            }
            case WalRecord.SNAPSHOT_MARKER:
                markerIndex = p.getLong(WalRecord.MARKER_INDEX_OFFSET, WalRecord.ORDER);
                markerTerm = p.getLong(WalRecord.MARKER_TERM_OFFSET, WalRecord.ORDER);
                entryMeta.clear();
                entryData.clear();
                break;
            default:
                corrupt(sequence, offset, "unknown record type " + p.getByte(WalRecord.TYPE_OFFSET));
        }
    }

    private void buildStorage() {
        boolean haveSnapshot = result.snapshotData != null;
        long snapshotIndex = haveSnapshot ? snapshot.index : 0;
        if (markerIndex > snapshotIndex) {
            result.corruption = "the WAL names a snapshot at index " + markerIndex
                    + " but the snapshot file holds index " + snapshotIndex;
            return;
        }
        if (haveSnapshot && snapshot.origin == SnapshotFile.RECEIVED
                && (markerIndex != snapshot.index || markerTerm != snapshot.term)) {
            // Crashed after writing the leader's snapshot, before its marker: entries are from the old log.
            entryMeta.clear();
            entryData.clear();
        }
        InMemoryLogStorage storage = new InMemoryLogStorage(snapshot.conf);
        if (haveSnapshot) {
            storage.installSnapshot(snapshot.index, snapshot.term, snapshot.conf, result.snapshotData,
                    result.snapshotOffset, result.snapshotLength);
        }
        for (int i = 0; i < entryMeta.size(); i++) {
            long[] meta = entryMeta.get(i);
            if (meta[0] <= storage.lastIndex()) {
                continue;
            }
            if (meta[0] != storage.lastIndex() + 1) {
                result.corruption = "WAL entry " + meta[0] + " follows " + storage.lastIndex() + ": a gap in the log";
                return;
            }
            byte[] data = entryData.get(i);
            storage.append(meta[1], (byte) meta[2], new UnsafeBuffer(data), 0, data.length);
        }
        result.commit = Math.max(result.commit, snapshotIndex);
        if (result.commit > storage.lastIndex()) {
            result.corruption = "hard state commits " + result.commit + " beyond the last entry " + storage.lastIndex();
        }
        result.storage = storage;
    }
}
