package dev.keel.replica;

import dev.keel.replica.snapshot.SnapshotFile;
import dev.keel.replica.MemoryDisk;
import dev.keel.replica.testing.TestCluster;
import dev.keel.replica.wal.RecoveredLog;
import dev.keel.replica.wal.WalRecovery;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A follower that fell behind the leader's compacted log catches up from the leader's snapshot. */
class ReceivedSnapshotTest {

    private static SnapshotFile snapshotOn(MemoryDisk disk) {
        byte[] bytes = disk.snapshotBytes();
        SnapshotFile f = new SnapshotFile();
        assertNull(f.decode(new UnsafeBuffer(bytes), bytes.length));
        return f;
    }

    /** Node 2 is down while the leader writes ten keys and compacts its log past node 2's. */
    private static TestCluster clusterWithALaggingNode2() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withSnapshots(4, 0));
        c.elect(1);
        assertTrue(c.putAndSettle(1, "k0", "v0").succeeded());
        c.tick(1);
        c.crash(2);
        for (int i = 1; i < 10; i++) {
            assertTrue(c.putAndSettle(1, "k" + i, "v" + i).succeeded());
        }
        assertTrue(c.node(1).replica.raft().storage().baseIndex() > 3, "the leader did not compact its log");
        return c;
    }

    @Test
    void aLaggingFollowerInstallsTheLeadersSnapshot() {
        TestCluster c = clusterWithALaggingNode2();
        assertTrue(c.restart(2).started());
        c.tick(1);
        c.tick(1);
        MemoryDisk disk = c.node(2).disk;
        assertEquals(SnapshotFile.RECEIVED, snapshotOn(disk).origin);
        for (int i = 0; i < 10; i++) {
            assertEquals("v" + i, c.valueAt(2, "k" + i));
        }
        c.crash(2);
        assertTrue(c.restart(2).started(), c.node(2).lastStart.refusal());
        c.tick(1);
        assertEquals("v9", c.valueAt(2, "k9"), "the restored snapshot lost data");
    }

    @Test
    void aCrashAfterTheSnapshotFileBeforeItsMarkerIsSyncedRecovers() {
        TestCluster c = clusterWithALaggingNode2();
        c.slowDisks.add(2L);
        assertTrue(c.restart(2).started());
        c.tick(1);
        c.tick(1);
        MemoryDisk disk = c.node(2).disk;
        assertTrue(disk.hasSnapshot(), "the leader's snapshot did not reach node 2");
        assertTrue(disk.pendingSyncs() > 0);
        c.crash(2); // the snapshot file is durable, the WAL marker after it is not
        c.slowDisks.clear();
        assertEquals(SnapshotFile.RECEIVED, snapshotOn(disk).origin);
        RecoveredLog log = WalRecovery.read(disk.load());
        assertEquals(snapshotOn(disk).index, log.storage.lastIndex(), "entries of the replaced log were kept");
        StartResult r = c.restart(2);
        assertTrue(r.started(), r.refusal());
        for (int i = 0; i < 25; i++) { // the leader resends the snapshot after an election timeout of silence
            c.tick(1);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("v" + i, c.valueAt(2, "k" + i));
        }
        assertTrue(c.putAndSettle(2, "after", "x").succeeded());
    }
}
