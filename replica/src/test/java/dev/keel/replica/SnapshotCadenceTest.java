package dev.keel.replica;

import dev.keel.replica.MemoryDisk;
import dev.keel.replica.testing.TestCluster;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every snapshotCount applied entries the replica writes a snapshot file and releases the WAL it covers. */
class SnapshotCadenceTest {
    private static final String VALUE = "v".repeat(100);

    @Test
    void afterTwentyFiveEntriesTheDiskHoldsASnapshotAndOlderSegmentsWereReleased() {
        TestCluster c = new TestCluster(1, cfg -> cfg.withSnapshots(10, 2).withWalSegmentBytes(1024));
        c.elect(1); // applies the leader's no-op: entry 1
        MemoryDisk disk = c.node(1).disk;
        for (int i = 0; i < 24; i++) {
            assertTrue(c.putAndSettle(1, "k" + i, VALUE + i).succeeded());
        }
        assertTrue(c.node(1).replica.raft().appliedIndex() >= 25);
        assertTrue(disk.hasSnapshot(), "no snapshot file after 25 applied entries");
        assertEquals(2, disk.snapshotWrites, "snapshots at entries 10 and 20");
        assertTrue(disk.segmentsReleased > 0, "no WAL segment was released");
        assertTrue(disk.firstSegmentSequence() > 0, "segment 0 is still on disk");

        c.crash(1);
        assertTrue(c.restart(1).started());
        c.elect(1);
        for (int i = 0; i < 24; i++) {
            assertEquals(VALUE + i, c.valueAt(1, "k" + i));
        }
    }
}
