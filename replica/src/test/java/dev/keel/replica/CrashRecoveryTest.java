package dev.keel.replica;

import dev.keel.replica.testing.TestCluster;
import dev.keel.replica.testing.TestCluster.Node;
import dev.keel.replica.testing.TestCluster.Outcome;
import dev.keel.replica.wal.WalRecovery;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Crash the process at each point of the Ready sequence, restart it, and check what the store holds. */
class CrashRecoveryTest {

    private static void assertAcked(Outcome o) {
        assertNotNull(o, "the write was not answered");
        assertTrue(o.succeeded(), "the write failed: " + o);
    }

    /** Restarts single-node {@code c}, which applies its recovered committed log once it leads again. */
    private static StartResult restartAlone(TestCluster c) {
        StartResult r = c.restart(1);
        assertTrue(r.started(), "refused: " + r.refusal());
        c.elect(1);
        return r;
    }

    @Test
    void singleNodeCrashBeforeTheSyncCompletesLosesOnlyTheUnacknowledgedWrite() {
        TestCluster c = new TestCluster(1);
        c.elect(1);
        assertAcked(c.putAndSettle(1, "a", "1"));
        long pending = c.put(1, "b", "2"); // written, its sync requested but never completed
        assertEquals(1, c.node(1).disk.pendingSyncs());
        assertNull(c.node(1).outcome(pending));
        c.crash(1);
        restartAlone(c);
        assertEquals("1", c.valueAt(1, "a"));
        assertNull(c.valueAt(1, "b"), "an unsynced write survived the crash");
    }

    /** The durable index moves when a batch's sync completes, not before, and recovery returns at least that. */
    @Test
    void theDurableIndexFollowsCompletedSyncsAndRecoveryReachesIt() {
        TestCluster c = new TestCluster(1);
        c.elect(1);
        Node n = c.node(1);
        assertAcked(c.putAndSettle(1, "a", "1"));
        long synced = n.replica.durableIndex();
        assertEquals(n.replica.raft().lastIndex(), synced);
        c.slowDisks.add(1L);
        c.put(1, "b", "2");
        c.settle();
        assertTrue(n.replica.raft().lastIndex() > synced);
        assertEquals(synced, n.replica.durableIndex(), "counted durable before its sync completed");
        n.disk.completeSyncs();
        assertEquals(n.replica.raft().lastIndex(), n.replica.durableIndex());
        long before = n.replica.durableIndex();
        c.crash(1);
        c.slowDisks.clear();
        assertEquals(before, WalRecovery.read(n.disk.load()).storage.lastIndex());
        assertTrue(c.restart(1).started(), n.lastStart.refusal());
        assertEquals(before, n.replica.durableIndex(), "recovery's log is what the member starts durable with");
        c.elect(1);
        assertEquals("2", c.valueAt(1, "b"));
    }

    @Test
    void singleNodeCrashAfterTheSyncKeepsEveryAcknowledgedWrite() {
        TestCluster c = new TestCluster(1);
        c.elect(1);
        for (int i = 0; i < 5; i++) {
            assertAcked(c.putAndSettle(1, "k" + i, "v" + i));
        }
        c.crash(1);
        restartAlone(c);
        for (int i = 0; i < 5; i++) {
            assertEquals("v" + i, c.valueAt(1, "k" + i));
        }
        assertAcked(c.putAndSettle(1, "k5", "v5")); // and it keeps going
    }

    @Test
    void aTornTailIsCutAtRestart() {
        TestCluster c = new TestCluster(1);
        c.elect(1);
        assertAcked(c.putAndSettle(1, "a", "1"));
        c.put(1, "b", "never acknowledged");
        c.crash(1, 9); // nine bytes of the unsynced batch reached the disk
        StartResult r = restartAlone(c);
        assertNotNull(r.note());
        assertTrue(r.note().contains("torn"), r.note());
        assertEquals("1", c.valueAt(1, "a"));
        assertNull(c.valueAt(1, "b"));
        assertEquals(-1, WalRecovery.read(c.node(1).disk.load()).tornAt, "the cut did not reach the disk");
        assertAcked(c.putAndSettle(1, "c", "3"));
        c.crash(1);
        restartAlone(c);
        assertEquals("3", c.valueAt(1, "c"));
    }

    @Test
    void aCrashAfterALocalSnapshotRecoversFromTheSnapshotFileAndTheWal() {
        TestCluster c = new TestCluster(1, cfg -> cfg.withSnapshots(5, 1));
        c.elect(1);
        for (int i = 0; i < 12; i++) {
            assertAcked(c.putAndSettle(1, "k" + i, "v" + i));
        }
        assertTrue(c.node(1).disk.hasSnapshot());
        c.put(1, "unsynced", "x");
        c.crash(1);
        restartAlone(c);
        for (int i = 0; i < 12; i++) {
            assertEquals("v" + i, c.valueAt(1, "k" + i));
        }
        assertNull(c.valueAt(1, "unsynced"));
    }

    /**
     * A deposed leader's durable but uncommitted suffix is replaced by the new leader's entries: once that batch
     * is written its durable index is the common prefix, so a crash after the sync completed but before the
     * replica heard of it (recovering the shorter log) still returns everything it counts durable.
     */
    @Test
    void overwritingADurableSuffixLowersTheDurableIndexBeforeItsSync() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        assertAcked(c.putAndSettle(1, "a", "1"));
        long common = c.node(1).replica.raft().lastIndex();
        c.drop = s -> s.from() == 1 || s.to() == 1; // node 1 keeps leading alone: its next entries never commit
        c.put(1, "stale", "x");
        c.put(1, "stale2", "y");
        c.settle();
        Node old = c.node(1);
        assertTrue(old.replica.durableIndex() > common, "the stale entries were synced");
        c.electAmong(2, 3);
        assertAcked(c.putAndSettle(c.node(2).replica.isLeader() ? 2 : 3, "b", "2"));
        c.slowDisks.add(1L);
        c.drop = s -> false;
        for (int i = 0; i < 50 && old.replica.durableIndex() > common; i++) {
            old.disk.completeSyncs(); // e.g. its step-down to the new term
            c.tickAll(); // the new leader's appends reach node 1, which truncates and rewrites (its sync waits)
        }
        assertEquals(common, old.replica.durableIndex(), "still counts the replaced suffix");
        assertTrue(old.replica.syncing(), "the overwriting batch's sync is in flight");
        long durable = old.replica.durableIndex();
        old.disk.onSynced = id -> { }; // the sync completes, the replica never hears of it
        old.disk.completeSyncs();
        c.crash(1);
        assertTrue(WalRecovery.read(old.disk.load()).storage.lastIndex() >= durable);
    }

    @Test
    void threeNodesLeaderCrashBeforeItsSyncLosesNothingAcknowledged() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        for (int i = 0; i < 3; i++) {
            assertAcked(c.putAndSettle(1, "k" + i, "v" + i));
        }
        c.drop = s -> s.from() == 1; // the next entry stays in node 1's unsynced WAL
        c.put(1, "lost", "x");
        c.deliverAll(); // its appends are dropped
        c.crash(1);
        c.drop = s -> false;
        Node next = c.electAmong(2, 3);
        assertAcked(c.putAndSettle(next.id, "after", "y"));
        assertTrue(c.restart(1).started());
        for (int i = 0; i < 3; i++) {
            c.tick(next.id);
        }
        for (long id = 1; id <= 3; id++) {
            for (int i = 0; i < 3; i++) {
                assertEquals("v" + i, c.valueAt(id, "k" + i), "node " + id);
            }
            assertEquals("y", c.valueAt(id, "after"), "node " + id);
            assertNull(c.valueAt(id, "lost"), "node " + id);
        }
    }

    @Test
    void threeNodesFollowerCrashAfterSyncRecoversAndCatchesUp() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withSnapshots(4, 1));
        c.elect(1);
        for (int i = 0; i < 3; i++) {
            assertAcked(c.putAndSettle(1, "k" + i, "v" + i));
        }
        c.tick(1);
        c.crash(2, 5);
        for (int i = 3; i < 10; i++) {
            assertAcked(c.putAndSettle(1, "k" + i, "v" + i)); // nodes 1 and 3 are a quorum
        }
        assertTrue(c.restart(2).started());
        for (int i = 0; i < 5; i++) {
            c.tick(1);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("v" + i, c.valueAt(2, "k" + i));
        }
    }
}
