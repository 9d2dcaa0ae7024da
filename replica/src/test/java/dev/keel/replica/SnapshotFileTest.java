package dev.keel.replica;

import dev.keel.kernel.raft.ConfState;
import dev.keel.replica.snapshot.SnapshotFile;
import dev.keel.replica.wal.WalRecord;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snapshot file's format: a round trip, and what decoding refuses. */
class SnapshotFileTest {
    private static final byte[] STATE = "the store's bytes".getBytes();
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer();

    private int encode() {
        return SnapshotFile.encode(out, SnapshotFile.RECEIVED, 42, 7, ConfState.ofVoters(1, 2, 3),
                new UnsafeBuffer(STATE), 0, STATE.length);
    }

    @Test
    void roundTrip() {
        int n = encode();
        SnapshotFile f = new SnapshotFile();
        assertNull(f.decode(out, n));
        assertEquals(SnapshotFile.RECEIVED, f.origin);
        assertEquals(42, f.index);
        assertEquals(7, f.term);
        assertEquals(ConfState.ofVoters(1, 2, 3), f.conf);
        byte[] data = new byte[f.dataLength];
        f.buffer.getBytes(f.dataOffset, data);
        assertArrayEquals(STATE, data);
    }

    @Test
    void everyTruncationIsRefused() {
        int n = encode();
        for (int length = 0; length < n; length++) {
            assertNotNull(new SnapshotFile().decode(out, length), "accepted a file cut to " + length + " bytes");
        }
    }

    @Test
    void aBadMagicIsRefusedEvenWithAValidChecksum() {
        int n = encode();
        out.putInt(SnapshotFile.MAGIC_OFFSET, 0x12345678, SnapshotFile.ORDER);
        out.putInt(n - 4, WalRecord.crc(out, 0, n - 4), SnapshotFile.ORDER);
        String why = new SnapshotFile().decode(out, n);
        assertNotNull(why);
        assertTrue(why.contains("magic"), why);
    }

    @Test
    void aBadMagicWithoutFixingTheChecksumIsAChecksumMismatch() {
        int n = encode();
        out.putByte(SnapshotFile.MAGIC_OFFSET, (byte) 0);
        String why = new SnapshotFile().decode(out, n);
        assertNotNull(why);
        assertTrue(why.contains("checksum"), why);
    }
}
