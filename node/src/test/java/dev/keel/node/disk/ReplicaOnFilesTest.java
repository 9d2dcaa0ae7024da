package dev.keel.node.disk;

import dev.keel.replica.wal.WalRecord;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A one-member replica on files: what it acknowledged survives a restart; torn and corrupted WALs. */
class ReplicaOnFilesTest {
    private static final int PUTS = 120;

    @TempDir
    Path dataDir;

    /** Writes {@link #PUTS} puts (enough for several WAL segments), all acknowledged, and ends like a crash. */
    private void writeAndCrash() {
        try (FileMember m = new FileMember(dataDir, 1)) {
            assertTrue(m.start.started(), m.start.refusal());
            m.tickUntilLeader();
            for (int i = 0; i < PUTS; i++) {
                assertTrue(m.put("key-" + i, "value-" + i + "-" + "v".repeat(40)), "put " + i + " acknowledged");
            }
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("member/wal"))) {
            return files.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
    }

    @Test
    void everyAcknowledgedPutSurvivesARestart() throws IOException {
        writeAndCrash();
        List<Path> segments = segments();
        assertTrue(segments.size() > 2, "the puts filled several segments: " + segments);
        for (Path p : segments.subList(0, segments.size() - 1)) {
            long size = Files.size(p);
            assertTrue(size < 2L * FileMember.SEGMENT_BYTES, p + " was cut to its records: " + size);
        }
        assertEquals(FileMember.SEGMENT_BYTES, Files.size(segments.get(segments.size() - 1)),
                "the last segment keeps its preallocated zero tail");
        try (FileMember m = new FileMember(dataDir, 2)) {
            assertTrue(m.start.started(), m.start.refusal());
            assertNull(m.start.note(), "preallocated space is not reported as damage");
            m.tickUntilLeader();
            for (int i = 0; i < PUTS; i++) {
                assertEquals("value-" + i + "-" + "v".repeat(40), m.value("key-" + i), "key-" + i);
            }
            assertTrue(m.put("after-restart", "x"), "the restarted member appends where the log ended");
        }
        try (FileMember m = new FileMember(dataDir, 3)) {
            assertTrue(m.start.started(), m.start.refusal());
            m.tickUntilLeader();
            assertEquals("x", m.value("after-restart"));
            assertEquals("value-0-" + "v".repeat(40), m.value("key-0"));
        }
    }

    /** @return the offsets of the records in a segment file, up to its zero tail */
    private static int[] recordOffsets(Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        UnsafeBuffer b = new UnsafeBuffer(bytes);
        int[] offsets = new int[bytes.length / WalRecord.HEADER + 1];
        int count = 0;
        int at = 0;
        while (at + WalRecord.HEADER <= bytes.length && b.getInt(at, WalRecord.ORDER) != 0) {
            offsets[count++] = at;
            at += WalRecord.HEADER + b.getInt(at + WalRecord.LENGTH_OFFSET, WalRecord.ORDER);
        }
        return java.util.Arrays.copyOf(offsets, count);
    }

    @Test
    void aTornLastRecordIsCutWithANote() throws IOException {
        writeAndCrash();
        List<Path> segments = segments();
        Path last = segments.get(segments.size() - 1);
        long sequence = segments.size() - 1;
        int[] records = recordOffsets(last);
        assertTrue(records.length > 1, "the last segment holds records");
        int lastRecord = records[records.length - 1];
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.setLength(lastRecord + WalRecord.HEADER + 3); // a crash persisted only the record's start
        }
        try (FileMember m = new FileMember(dataDir, 2)) {
            assertTrue(m.start.started(), m.start.refusal());
            assertEquals("cut a torn WAL tail in segment " + sequence + " at offset " + lastRecord, m.start.note());
            m.tickUntilLeader();
            for (int i = 0; i < PUTS - 1; i++) { // the torn record may be the last put's entry
                assertEquals("value-" + i + "-" + "v".repeat(40), m.value("key-" + i), "key-" + i);
            }
            assertTrue(m.put("after-torn-tail", "y"));
        }
        try (FileMember m = new FileMember(dataDir, 3)) {
            assertTrue(m.start.started(), m.start.refusal());
            assertNull(m.start.note(), "the cut was durable: nothing torn any more");
            m.tickUntilLeader();
            assertEquals("y", m.value("after-torn-tail"));
        }
    }

    @Test
    void aCorruptedEarlyRecordRefusesTheStartNamingSegmentAndOffset() throws IOException {
        writeAndCrash();
        Path first = segments().get(0);
        int[] records = recordOffsets(first);
        int victim = records[2];
        try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw")) {
            f.seek(victim + WalRecord.HEADER + 1);
            int b = f.read();
            f.seek(victim + WalRecord.HEADER + 1);
            f.write(b ^ 0x04);
        }
        try (FileMember m = new FileMember(dataDir, 2)) {
            assertFalse(m.start.started(), "a corrupted WAL must keep the member down");
            assertTrue(m.start.refusal().contains("WAL segment 0 at offset " + victim), m.start.refusal());
            assertEquals(first, m.disk.segmentFile(0), "the host can name the file from the segment");
        }
    }
}
