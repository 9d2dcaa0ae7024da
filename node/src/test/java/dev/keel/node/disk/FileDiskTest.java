package dev.keel.node.disk;

import dev.keel.replica.Disk.WriteStatus;
import dev.keel.replica.DiskImage;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FileDisk on a temporary directory: layout, durability calls, preallocation, snapshots, release, faults, lock. */
class FileDiskTest {
    private static final int SEGMENT_BYTES = 8192;

    @TempDir
    Path dataDir;
    private final List<FileDisk> opened = new ArrayList<>();

    @AfterEach
    void closeDisks() {
        opened.forEach(FileDisk::close);
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("keel-wal-preallocator")), "close joins the helper thread");
    }

    private FileDisk open() {
        return track(FileDisk.open(dataDir, SEGMENT_BYTES));
    }

    private FileDisk track(FileDisk d) {
        opened.add(d);
        return d;
    }

    private Path wal(String name) {
        return dataDir.resolve("member/wal").resolve(name);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 7 + 1);
        }
        return b;
    }

    private static WriteStatus append(FileDisk d, byte[] b) {
        return d.append(new UnsafeBuffer(b), 0, b.length);
    }

    private static byte[] segment(DiskImage image, int i) {
        byte[] out = new byte[image.segmentLength(i)];
        image.segment(i).getBytes(0, out);
        return out;
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void appendSyncReopenRoundTrip() {
        FileDisk d = open();
        assertEquals(0, d.load().segmentCount(), "a new data dir is empty");
        assertEquals(WriteStatus.OK, d.startSegment(0));
        byte[] first = bytes(300, 1);
        assertEquals(WriteStatus.OK, append(d, first));
        assertEquals(-1, d.takeCompletedSync(), "nothing synced yet");
        d.sync(1);
        assertEquals(1, d.takeCompletedSync());
        assertEquals(-1, d.takeCompletedSync(), "a completion is taken once");
        d.sync(2);
        d.sync(3);
        assertEquals(3, d.takeCompletedSync(), "the newest completed sync covers the earlier ones");
        assertThrows(IllegalStateException.class, () -> d.sync(3));
        d.close();

        FileDisk again = open();
        DiskImage image = again.load();
        assertEquals(1, image.segmentCount());
        assertEquals(0, image.segmentSequence(0));
        byte[] read = segment(image, 0);
        assertEquals(SEGMENT_BYTES, read.length, "the segment keeps its preallocated size");
        assertArrayEquals(first, Arrays.copyOf(read, first.length));
        for (int i = first.length; i < read.length; i++) {
            assertEquals(0, read[i], "preallocated space is zeros");
        }
        // The replica tells the disk where the records end; appends continue there.
        again.truncate(0, first.length);
        byte[] second = bytes(200, 2);
        assertEquals(WriteStatus.OK, append(again, second));
        again.sync(1);
        again.close();

        byte[] after = segment(open().load(), 0);
        assertEquals(SEGMENT_BYTES, after.length, "the cut segment was zero-filled again to its size");
        assertArrayEquals(first, Arrays.copyOf(after, first.length));
        assertArrayEquals(second, Arrays.copyOfRange(after, first.length, first.length + second.length));
        assertEquals(0, after[first.length + second.length]);
    }

    @Test
    void segmentRolloverPreallocatesTheNextAndCutsTheOldToLength() throws IOException {
        FileDisk d = open();
        await("the first segment is preallocated", () -> Files.exists(wal(SegmentPreallocator.FILE_NAME)));
        assertEquals(WriteStatus.OK, d.startSegment(0));
        assertEquals(SEGMENT_BYTES, Files.size(wal("0000000000000000.wal")), "a segment starts preallocated");
        assertEquals(WriteStatus.OK, append(d, bytes(100, 1)));
        assertEquals(WriteStatus.OK, d.startSegment(1));
        assertEquals(100, Files.size(wal("0000000000000000.wal")), "a cut segment has no zero tail");
        assertEquals(WriteStatus.OK, append(d, bytes(SEGMENT_BYTES + 50, 2))); // past the preallocated size
        assertEquals(WriteStatus.OK, d.startSegment(0x1f));
        assertEquals(SEGMENT_BYTES + 50, Files.size(wal("0000000000000001.wal")));
        assertEquals(SEGMENT_BYTES, Files.size(wal("000000000000001f.wal")));
        await("the next segment is preallocated in the background",
                () -> sizeOf(wal(SegmentPreallocator.FILE_NAME)) == SEGMENT_BYTES);
        assertThrows(IllegalStateException.class, () -> d.startSegment(0x1f), "sequences only grow");
        d.close();
        assertFalse(Files.exists(wal(SegmentPreallocator.FILE_NAME)), "close removes the unused preallocation");
        DiskImage image = open().load();
        assertEquals(3, image.segmentCount());
        assertEquals(0x1f, image.segmentSequence(2));
        assertEquals(100, image.segmentLength(0));
    }

    private static long sizeOf(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : -1;
        } catch (IOException e) {
            return -1; // renamed between the two calls: not ready
        }
    }

    @Test
    void aSnapshotIsReplacedAtomicallyAndAStaleTempFileIsIgnored() throws IOException {
        FileDisk d = open();
        assertNull(d.load().snapshot());
        byte[] a = bytes(5000, 3);
        assertEquals(WriteStatus.OK, d.writeSnapshot(new UnsafeBuffer(a), 0, a.length));
        d.close();
        Path temp = dataDir.resolve("member/snap/snapshot.tmp");
        Files.write(temp, bytes(77, 9)); // a crash in the middle of the next snapshot write

        FileDisk again = open();
        assertFalse(Files.exists(temp), "the stale temp file is removed at open");
        DiskImage image = again.load();
        byte[] read = new byte[image.snapshotLength()];
        image.snapshot().getBytes(0, read);
        assertArrayEquals(a, read);
        byte[] b = bytes(3 * 1024 * 1024 + 5, 4); // more than one write chunk
        assertEquals(WriteStatus.OK, again.writeSnapshot(new UnsafeBuffer(b), 0, b.length));
        assertFalse(Files.exists(temp));
        assertArrayEquals(b, Files.readAllBytes(again.snapshotFile()));
    }

    @Test
    void releaseDeletesOlderSegmentsButNeverTheCurrent() {
        FileDisk d = open();
        for (long s = 0; s < 4; s++) {
            assertEquals(WriteStatus.OK, d.startSegment(s));
            assertEquals(WriteStatus.OK, append(d, bytes(10, (int) s)));
        }
        d.releaseSegmentsBefore(2);
        assertFalse(Files.exists(d.segmentFile(0)));
        assertFalse(Files.exists(d.segmentFile(1)));
        assertTrue(Files.exists(d.segmentFile(2)));
        d.releaseSegmentsBefore(2); // nothing left below 2
        assertThrows(IllegalStateException.class, () -> d.releaseSegmentsBefore(10));
        DiskImage image = d.load();
        assertEquals(2, image.segmentCount());
        assertEquals(2, image.segmentSequence(0));
    }

    @Test
    void aFullDeviceRefusesAnAppendAndKeepsNothingOfIt() throws IOException {
        FaultyDevice device = new FaultyDevice();
        device.applies = p -> p.getFileName().toString().endsWith(".wal"); // the preallocation still succeeds
        FileDisk d = track(new FileDisk(dataDir, SEGMENT_BYTES, device));
        assertEquals(WriteStatus.OK, d.startSegment(0));
        byte[] kept = bytes(100, 1);
        assertEquals(WriteStatus.OK, append(d, kept));
        device.spaceLeft.set(30); // room for a part of the next record only
        assertEquals(WriteStatus.NO_SPACE, append(d, bytes(100, 2)));
        assertEquals(kept.length, Files.size(d.segmentFile(0)), "the partial write was cut off");
        device.spaceLeft.set(Long.MAX_VALUE); // space freed
        byte[] next = bytes(40, 3);
        assertEquals(WriteStatus.OK, append(d, next));
        d.sync(1);
        d.close();
        byte[] read = segment(open().load(), 0);
        assertArrayEquals(kept, Arrays.copyOf(read, kept.length));
        assertArrayEquals(next, Arrays.copyOfRange(read, kept.length, read.length));
    }

    @Test
    void aFullDeviceRefusesNewSegmentsAndSnapshotsUntilSpaceIsFreed() {
        FaultyDevice device = new FaultyDevice();
        device.spaceLeft.set(0);
        FileDisk d = track(new FileDisk(dataDir, SEGMENT_BYTES, device));
        assertEquals(WriteStatus.NO_SPACE, d.startSegment(0), "no room to preallocate the segment");
        byte[] snap = bytes(100, 5);
        assertEquals(WriteStatus.NO_SPACE, d.writeSnapshot(new UnsafeBuffer(snap), 0, snap.length));
        assertNull(d.load().snapshot(), "a refused snapshot leaves no file");
        assertFalse(Files.exists(dataDir.resolve("member/snap/snapshot.tmp")));
        assertEquals(0, d.load().segmentCount());
        device.spaceLeft.set(Long.MAX_VALUE);
        await("a retried segment start succeeds once space is freed", () -> d.startSegment(0) == WriteStatus.OK);
        assertEquals(WriteStatus.OK, d.writeSnapshot(new UnsafeBuffer(snap), 0, snap.length));
        assertEquals(1, d.load().segmentCount());
    }

    @Test
    void anotherIoErrorIsFatalAndNamesTheFile() {
        FaultyDevice device = new FaultyDevice();
        FileDisk d = track(new FileDisk(dataDir, SEGMENT_BYTES, device));
        assertEquals(WriteStatus.OK, d.startSegment(0));
        device.writeError = new IOException("Input/output error");
        DiskIoException e = assertThrows(DiskIoException.class, () -> append(d, bytes(10, 1)));
        assertTrue(e.getMessage().contains(d.segmentFile(0).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("Input/output error"), e.getMessage());
    }

    @Test
    void theDataDirIsLockedWhileOpen() {
        FileDisk first = open();
        DataDirInUseException e = assertThrows(DataDirInUseException.class, () -> FileDisk.open(dataDir, 8192));
        assertEquals("data dir " + dataDir + " is in use by another process", e.getMessage());
        first.close();
        open(); // released on close
    }
}
