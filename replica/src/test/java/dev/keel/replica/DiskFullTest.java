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
}
