package dev.keel.replica;

import dev.keel.replica.testing.Kv;
import dev.keel.replica.testing.TestCluster;
import dev.keel.replica.testing.TestCluster.Node;
import dev.keel.replica.testing.TestCluster.Outcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A full disk is an outcome: writes fail with NOSPACE, reads keep working, and the replica resumes later. */
class DiskFullTest {

    @Test
    void aFullLeaderDiskRefusesWritesServesReadsAndResumesWhenFreed() {
        TestCluster c = new TestCluster(3);
        Node leader = c.elect(1);
        assertTrue(c.putAndSettle(1, "k", "v").succeeded());
        leader.disk.full = true;
        long stalled = c.put(1, "k2", "waits for space"); // proposed; its batch cannot be written
        c.settle();
        assertTrue(leader.replica.diskFull());
        Outcome refused = c.putAndSettle(1, "k3", "refused");
        assertEquals(ReplicaError.NO_SPACE, refused.error());
        assertEquals(Fate.NOT_APPLIED, refused.fate());
        Outcome read = c.node(1).outcome(c.get(1, "k", true));
        assertTrue(read.succeeded());
        assertEquals("v", Kv.value(read.response()));
        c.tick(1);
        c.tick(1);
        assertTrue(leader.replica.running());
        assertTrue(leader.replica.diskFull());

        leader.disk.full = false;
        c.tick(1);
        assertFalse(leader.replica.diskFull());
        assertTrue(c.putAndSettle(1, "k4", "after").succeeded());
        c.tick(1);
        Outcome waited = leader.outcome(stalled);
        assertNotNull(waited, "the write that waited for space was never answered");
        assertTrue(waited.succeeded(), waited.toString());
        for (long id = 1; id <= 3; id++) {
            assertEquals("after", c.valueAt(id, "k4"));
            assertEquals("waits for space", c.valueAt(id, "k2"));
            assertEquals(null, c.valueAt(id, "k3"));
        }
    }

    @Test
    void aFullFollowerDiskStallsOnlyThatFollowerWhichCatchesUpWhenFreed() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        Node follower = c.node(2);
        follower.disk.full = true;
        for (int i = 0; i < 3; i++) {
            assertTrue(c.putAndSettle(1, "k" + i, "v" + i).succeeded(), "nodes 1 and 3 are a quorum");
        }
        assertTrue(follower.replica.diskFull());
        assertEquals(ReplicaError.NO_SPACE, c.putAndSettle(2, "x", "y").error());
        follower.disk.full = false;
        for (int i = 0; i < 15; i++) {
            c.tickAll();
        }
        assertFalse(follower.replica.diskFull());
        for (int i = 0; i < 3; i++) {
            assertEquals("v" + i, c.valueAt(2, "k" + i));
        }
        assertTrue(c.putAndSettle(2, "x", "y").succeeded());
    }

    @Test
    void aSnapshotFileThatDoesNotFitKeepsTheOlderFileAndTheWalSoRecoveryLosesNothing() {
        TestCluster c = new TestCluster(1, cfg -> cfg.withSnapshots(3, 0).withWalSegmentBytes(1024));
        c.elect(1);
        Node n = c.node(1);
        n.disk.snapshotsFull = true;
        n.disk.segmentsFull = true; // and the WAL cannot roll either: appends stay in the current segment
        for (int i = 0; i < 12; i++) {
            assertTrue(c.putAndSettle(1, "k" + i, "v".repeat(200) + i).succeeded());
        }
        assertFalse(n.disk.hasSnapshot());
        assertEquals(1, n.disk.segmentCount());
        c.crash(1);
        assertTrue(c.restart(1).started(), n.lastStart.refusal());
        c.elect(1);
        for (int i = 0; i < 12; i++) {
            assertEquals("v".repeat(200) + i, c.valueAt(1, "k" + i));
        }
        n.disk.snapshotsFull = false;
        n.disk.segmentsFull = false;
        for (int i = 12; i < 20; i++) {
            assertTrue(c.putAndSettle(1, "k" + i, "w" + i).succeeded());
        }
        assertTrue(n.disk.hasSnapshot());
        c.crash(1);
        assertTrue(c.restart(1).started(), n.lastStart.refusal());
        c.elect(1);
        assertEquals("v".repeat(200) + 3, c.valueAt(1, "k3"));
        assertEquals("w19", c.valueAt(1, "k19"));
    }
}
