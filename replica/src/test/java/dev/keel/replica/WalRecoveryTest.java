package dev.keel.replica;

import dev.keel.kernel.raft.ConfState;
import dev.keel.kernel.raft.EntryType;
import dev.keel.kernel.raft.EntryView;
import dev.keel.kernel.raft.InMemoryLogStorage;
import dev.keel.kernel.util.SplitMix64;
import dev.keel.replica.snapshot.SnapshotFile;
import dev.keel.replica.MemoryDisk;
import dev.keel.replica.wal.RecoveredLog;
import dev.keel.replica.wal.WalRecord;
import dev.keel.replica.wal.WalRecovery;
import dev.keel.replica.wal.WalWriter;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WalWriter and WalRecovery round trips over a {@link MemoryDisk}, and what recovery refuses. */
class WalRecoveryTest {
    private static final int SEGMENT_BYTES = 1024;
    private MemoryDisk disk = new MemoryDisk();
    private WalWriter wal = new WalWriter(disk, SEGMENT_BYTES);

    private void entry(long index, long term, String data) {
        byte[] b = data.getBytes(StandardCharsets.UTF_8);
        assertEquals(Disk.WriteStatus.OK, wal.entry(index, term, EntryType.NORMAL, new UnsafeBuffer(b), 0, b.length));
    }

    private void syncNow() {
        disk.sync(1);
        disk.completeSyncs();
    }

    private RecoveredLog recover() {
        return WalRecovery.read(disk.load());
    }

    private static String data(InMemoryLogStorage log, long index) {
        EntryView v = log.entry(index, new EntryView());
        byte[] b = new byte[v.length()];
        v.buffer().getBytes(v.offset(), b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private void snapshotFile(byte origin, long index, long term, byte[] state) {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer();
        int n = SnapshotFile.encode(out, origin, index, term, ConfState.ofVoters(1, 2, 3), new UnsafeBuffer(state),
                0, state.length);
        assertEquals(Disk.WriteStatus.OK, disk.writeSnapshot(out, 0, n));
    }

    @Test
    void hardStateAndEntriesRoundTrip() {
        entry(1, 1, "a");
        entry(2, 1, "b");
        entry(3, 2, "c");
        wal.hardState(2, 3, 3);
        RecoveredLog r = recover();
        assertFalse(r.corrupted(), r.corruption);
        assertEquals(3, r.storage.lastIndex());
        assertEquals(2, r.storage.term(3));
        assertEquals("b", data(r.storage, 2));
        assertEquals(2, r.term);
        assertEquals(3, r.vote);
        assertEquals(3, r.commit);
        assertEquals(-1, r.tornAt);
    }

    @Test
    void aSegmentLeftEmptyByACrashStillGetsTheHardStateBeforeOlderOnesAreReleased() {
        wal.hardState(5, 2, 0);
        entry(1, 5, "a");
        disk.startSegment(1); // the process died after creating the next segment, before its opening record
        RecoveredLog crashed = recover();
        assertFalse(crashed.corrupted(), crashed.corruption);
        WalWriter resumed = new WalWriter(disk, SEGMENT_BYTES);
        resumed.resume(crashed);
        byte[] b = "b".getBytes(StandardCharsets.UTF_8);
        assertEquals(Disk.WriteStatus.OK, resumed.entry(2, 5, EntryType.NORMAL, new UnsafeBuffer(b), 0, 1));
        resumed.releaseCoveredBy(1); // segment 0 is covered by a snapshot at 1
        RecoveredLog r = recover();
        assertEquals(5, r.term, "the term survived the release of the segment that held it");
        assertEquals(2, r.vote, "the vote survived the release of the segment that held it");
    }

    @Test
    void aLaterRecordOverwritesTheSuffix() {
        entry(1, 1, "a");
        entry(2, 1, "b");
        entry(3, 1, "c");
        entry(2, 2, "B"); // a new leader overwrote 2..
        wal.hardState(2, 0, 1);
        RecoveredLog r = recover();
        assertEquals(2, r.storage.lastIndex());
        assertEquals(2, r.storage.term(2));
        assertEquals("B", data(r.storage, 2));
    }

    @Test
    void aSnapshotMarkerResetsTheLog() {
        entry(1, 1, "old");
        entry(2, 1, "old");
        snapshotFile(SnapshotFile.RECEIVED, 10, 3, new byte[]{1, 2, 3});
        wal.snapshotMarker(10, 3);
        entry(11, 3, "after");
        wal.hardState(3, 0, 10);
        RecoveredLog r = recover();
        assertFalse(r.corrupted(), r.corruption);
        assertEquals(10, r.storage.snapshotIndex());
        assertEquals(11, r.storage.lastIndex());
        assertEquals("after", data(r.storage, 11));
        assertEquals(3, r.snapshotLength);
        assertEquals(ConfState.ofVoters(1, 2, 3), r.storage.snapshotConf());
    }

    @Test
    void aReceivedSnapshotFileWithoutItsMarkerDropsTheWalEntries() {
        entry(1, 1, "old log");
        entry(2, 1, "old log");
        wal.hardState(1, 0, 2);
        snapshotFile(SnapshotFile.RECEIVED, 10, 3, new byte[]{9}); // crash before the marker was written
        RecoveredLog r = recover();
        assertFalse(r.corrupted(), r.corruption);
        assertEquals(10, r.storage.snapshotIndex());
        assertEquals(10, r.storage.lastIndex(), "entries of the replaced log survived");
        assertEquals(10, r.commit);
    }

    @Test
    void aLocalSnapshotFileKeepsTheWalEntriesAfterIt() {
        entry(1, 1, "a");
        entry(2, 1, "b");
        entry(3, 1, "c");
        wal.hardState(1, 0, 3);
        snapshotFile(SnapshotFile.LOCAL, 2, 1, new byte[]{7});
        RecoveredLog r = recover();
        assertFalse(r.corrupted(), r.corruption);
        assertEquals(2, r.storage.snapshotIndex());
        assertEquals(3, r.storage.lastIndex());
        assertEquals("c", data(r.storage, 3));
    }

    @Test
    void aTornTailInTheLastSegmentIsCut() {
        entry(1, 1, "durable");
        wal.hardState(1, 0, 1);
        syncNow();
        int durable = disk.segment(0).written;
        entry(2, 1, "never synced, long enough to tear");
        disk.crash(7); // seven bytes of the unsynced record reached the platter
        assertEquals(durable + 7, disk.segment(0).written);
        RecoveredLog r = recover();
        assertFalse(r.corrupted(), r.corruption);
        assertEquals(0, r.tornSegment);
        assertEquals(durable, r.tornAt);
        assertEquals(durable, r.lastSegmentLength);
        assertEquals(1, r.storage.lastIndex());
    }

    @Test
    void aRecordCutShortInANonLastSegmentIsCorruptionNamingSegmentAndOffset() {
        String big = "x".repeat(SEGMENT_BYTES);
        entry(1, 1, "a");
        entry(2, 1, big); // pushes segment 0 past its limit
        assertEquals(Disk.WriteStatus.OK, wal.rollIfFull());
        entry(3, 1, "in segment 1");
        assertEquals(2, disk.segmentCount());
        int length = disk.segment(0).written;
        int lastRecordAt = length - (WalRecord.HEADER + WalRecord.DATA_OFFSET + big.length());
        disk.cut(0, length - 3);
        RecoveredLog r = recover();
        assertTrue(r.corrupted());
        assertTrue(r.corruption.contains("WAL segment 0 at offset " + lastRecordAt), r.corruption);
        assertEquals(-1, r.tornAt);
    }

    /** Two segments and a snapshot file, all durable. */
    private void writeDurableDisk() {
        snapshotFile(SnapshotFile.LOCAL, 2, 1, new byte[]{1, 2, 3, 4, 5});
        entry(1, 1, "one");
        entry(2, 1, "two");
        entry(3, 1, "x".repeat(SEGMENT_BYTES));
        wal.hardState(1, 1, 3);
        wal.rollIfFull();
        entry(4, 1, "four");
        wal.hardState(1, 1, 4);
        syncNow();
    }

    @Test
    void aFlippedBitAnywhereInDurableDataIsDetected() {
        for (int seed = 0; seed < 300; seed++) {
            MemoryDisk d = new MemoryDisk();
            disk = d;
            wal = new WalWriter(d, SEGMENT_BYTES);
            writeDurableDisk();
            assertEquals(2, d.segmentCount());
            assertFalse(WalRecovery.read(d.load()).corrupted(), "the intact disk must recover");
            String where = d.flipDurableBit(new SplitMix64(seed));
            RecoveredLog r = WalRecovery.read(d.load());
            assertTrue(r.corrupted(), "seed " + seed + ": a flip in " + where + " went unnoticed");
        }
    }

    @Test
    void releaseCoveredByReleasesOnlyAPrefix() {
        String big = "x".repeat(SEGMENT_BYTES);
        entry(1, 1, big); // segment 0: up to 1
        wal.rollIfFull();
        entry(2, 1, "b");
        entry(9, 1, big); // segment 1: up to 9 (gaps do not matter to the writer)
        wal.rollIfFull();
        entry(3, 2, big); // segment 2: a new leader overwrote from 3: up to 3
        wal.rollIfFull();
        entry(4, 2, "current");
        assertEquals(4, disk.segmentCount());
        wal.releaseCoveredBy(5); // 0 is covered; 1 is not, so 2 must stay although it is covered
        assertEquals(3, disk.segmentCount());
        assertEquals(1, disk.firstSegmentSequence());
        wal.releaseCoveredBy(100); // never the current segment
        assertEquals(1, disk.segmentCount());
        assertEquals(3, disk.firstSegmentSequence());
    }


    // ---------------------------------------------------------------- preallocated (zero-filled) space

    /** The bytes of segment {@code sequence} as written, followed by {@code zeros} zero bytes. */
    private byte[] withZeros(long sequence, int zeros) {
        MemoryDisk.Segment seg = disk.segment(sequence);
        byte[] out = new byte[seg.written + zeros];
        seg.bytes.getBytes(0, out, 0, seg.written);
        return out;
    }

    private static RecoveredLog recover(byte[]... segments) {
        long[] sequences = new long[segments.length];
        org.agrona.DirectBuffer[] buffers = new org.agrona.DirectBuffer[segments.length];
        int[] lengths = new int[segments.length];
        for (int i = 0; i < segments.length; i++) {
            sequences[i] = i;
            buffers[i] = new UnsafeBuffer(segments[i]);
            lengths[i] = segments[i].length;
        }
        return WalRecovery.read(new LoadedImage(sequences, buffers, lengths, null));
    }

    @Test
    void aZeroTailInTheLastSegmentIsTheCleanEndOfTheLog() {
        entry(1, 1, "a");
        entry(2, 1, "b");
        wal.hardState(1, 1, 2);
        int written = disk.segment(0).written;
        RecoveredLog r = recover(withZeros(0, 4096));
        assertFalse(r.corrupted(), r.corruption);
        assertEquals(-1, r.tornAt, "preallocated space is not a torn tail");
        assertEquals(written, r.preallocatedAt);
        assertEquals(written, r.lastSegmentLength);
        assertEquals(2, r.storage.lastIndex());
        assertEquals(2, r.commit);
    }

    @Test
    void anAllZeroLastSegmentIsEmpty() {
        RecoveredLog r = recover(new byte[4096]);
        assertFalse(r.corrupted(), r.corruption);
        assertEquals(0, r.preallocatedAt);
        assertEquals(0, r.lastSegmentLength);
        assertTrue(r.empty());
    }

    @Test
    void aRecordTornAtASectorBoundaryFollowedByZerosIsATornTail() {
        entry(1, 1, "durable");
        wal.hardState(1, 0, 1);
        int durable = disk.segment(0).written;
        entry(2, 1, "y".repeat(2000)); // spans several sectors
        byte[] image = withZeros(0, 4096);
        int boundary = (durable / 512 + 2) * 512; // a sector boundary inside the second record
        java.util.Arrays.fill(image, boundary, image.length, (byte) 0); // only its first sectors persisted
        RecoveredLog r = recover(image);
        assertFalse(r.corrupted(), r.corruption);
        assertEquals(0, r.tornSegment);
        assertEquals(durable, r.tornAt);
        assertEquals(durable, r.lastSegmentLength);
        assertEquals(1, r.storage.lastIndex());
    }

    @Test
    void aDamagedLastRecordBeforePreallocatedSpaceIsCorruption() {
        entry(1, 1, "durable");
        int first = disk.segment(0).written;
        entry(2, 1, "acknowledged");
        byte[] image = withZeros(0, 4096);
        image[first + WalRecord.HEADER + 3] ^= 0x10; // no sector boundary inside the record: not a torn write
        RecoveredLog r = recover(image);
        assertTrue(r.corrupted());
        assertTrue(r.corruption.contains("record checksum mismatch in WAL segment 0 at offset " + first),
                r.corruption);
    }

    @Test
    void zerosFollowedByOtherBytesAreCorruption() {
        entry(1, 1, "a");
        int written = disk.segment(0).written;
        byte[] image = withZeros(0, 4096);
        image[written + 1000] = 0x5A; // garbage after a run of zeros
        RecoveredLog r = recover(image);
        assertTrue(r.corrupted());
        assertTrue(r.corruption.contains("WAL segment 0 at offset " + written), r.corruption);
    }

    @Test
    void aZeroTailInASegmentBeforeTheLastIsCorruption() {
        entry(1, 1, "x".repeat(SEGMENT_BYTES));
        assertEquals(Disk.WriteStatus.OK, wal.rollIfFull());
        entry(2, 1, "in segment 1");
        int written = disk.segment(0).written;
        RecoveredLog r = recover(withZeros(0, 4096), withZeros(1, 0));
        assertTrue(r.corrupted());
        assertTrue(r.corruption.contains("zero bytes where a record should begin in WAL segment 0 at offset "
                + written), r.corruption);
    }
}
