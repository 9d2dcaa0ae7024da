package dev.keel.replica;

import dev.keel.kernel.raft.MessageType;
import dev.keel.replica.snapshot.SnapshotFile;
import dev.keel.replica.MemoryDisk;
import dev.keel.replica.testing.TestCluster;
import dev.keel.replica.testing.TestCluster.Node;
import dev.keel.replica.wal.RecoveredLog;
import dev.keel.replica.wal.WalRecovery;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /**
     * A leader's snapshot that reaches a follower whose disk is full is handed out by the kernel (which already
     * counts it as persisted) but never written: the replica does not call it durable, a crash keeps the older
     * log — nothing was acknowledged — and once space returns the snapshot is installed and durable.
     */
    @Test
    void aSnapshotThatArrivesOnAFullDiskIsNotDurableUntilItsBatchIs() {
        TestCluster c = clusterWithALaggingNode2();
        c.hold = s -> s.to() == 2 && s.raftType() == MessageType.SNAP;
        assertTrue(c.restart(2).started());
        Node n = c.node(2);
        long before = n.replica.raft().lastIndex();
        assertEquals(before, n.replica.durableIndex(), "recovery's log is durable");
        for (int i = 0; i < 25 && c.held.isEmpty(); i++) {
            c.tick(1);
        }
        assertFalse(c.held.isEmpty(), "the leader sent node 2 no snapshot");
        long snapshotIndex = c.node(1).replica.raft().storage().snapshotIndex();
        n.disk.full = true;
        int sentBefore = c.sent.size();
        c.hold = s -> false;
        c.held.forEach(c::inject);
        c.held.clear();
        c.settle();
        assertTrue(n.replica.diskFull(), "the snapshot's batch was written on a full disk");
        assertEquals(snapshotIndex, n.replica.raft().persistedIndex(), "the kernel counts the handed-out snapshot");
        assertEquals(before, n.replica.durableIndex(), "an unwritten snapshot was reported durable");
        assertTrue(!n.disk.hasSnapshot() || snapshotOn(n.disk).index < snapshotIndex, "the file was replaced");
        assertTrue(c.sent.subList(sentBefore, c.sent.size()).stream().noneMatch(s -> s.from() == 2),
                "node 2 answered while its snapshot's batch waited for space");

        c.crash(2);
        assertEquals(before, WalRecovery.read(n.disk.load()).storage.lastIndex());
        assertTrue(c.restart(2).started(), n.lastStart.refusal());
        assertEquals(before, n.replica.durableIndex());
        n.disk.full = false;
        for (int i = 0; i < 25 && n.replica.durableIndex() < snapshotIndex; i++) {
            c.tickAll();
        }
        long durable = n.replica.durableIndex();
        assertTrue(durable >= snapshotIndex, "the snapshot's durable batch was not counted: " + durable);
        assertTrue(snapshotOn(n.disk).index >= snapshotIndex, "the leader's snapshot was not written");
        c.crash(2);
        assertTrue(WalRecovery.read(n.disk.load()).storage.lastIndex() >= durable, "a durable entry was lost");
        assertTrue(c.restart(2).started(), n.lastStart.refusal());
        c.tick(1);
        assertEquals("v9", c.valueAt(2, "k9"));
    }
}
