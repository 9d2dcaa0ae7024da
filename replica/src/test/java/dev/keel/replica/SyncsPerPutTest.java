package dev.keel.replica;

import dev.keel.replica.testing.Kv;
import dev.keel.replica.testing.TestCluster;
import dev.keel.replica.testing.TestCluster.Node;
import dev.keel.replica.wal.WalRecovery;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One sync per put (etcd's {@code MustSync}): a batch whose only durable change is the commit index is written
 * but not synced, and a leader's own entry counts toward the commit of the batch that carries it. A crash that
 * loses such an unsynced commit advance recovers the same applied state once the member catches up.
 */
class SyncsPerPutTest {
    private static final int PUTS = 20;

    @Test
    void aSingleMemberSyncsOncePerPut() {
        TestCluster c = new TestCluster(1);
        c.elect(1);
        Node n = c.node(1);
        int before = n.disk.syncsRequested;
        for (int i = 0; i < PUTS; i++) {
            assertTrue(c.putAndSettle(1, "k" + i, "v" + i).succeeded());
        }
        assertEquals(PUTS, n.disk.syncsRequested - before, "syncs for " + PUTS + " puts");
        assertEquals(n.replica.raft().lastIndex(), n.replica.durableIndex());
        assertEquals(n.replica.raft().commitIndex(), WalRecovery.read(n.disk.load()).commit,
                "the commit was synced with its entry");
    }

    @Test
    void everyMemberOfThreeSyncsOncePerPut() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        int[] before = new int[4];
        for (long id = 1; id <= 3; id++) {
            before[(int) id] = c.node(id).disk.syncsRequested;
        }
        for (int i = 0; i < PUTS; i++) {
            assertTrue(c.putAndSettle(1, "k" + i, "v" + i).succeeded());
        }
        for (long id = 1; id <= 3; id++) {
            assertEquals(PUTS, c.node(id).disk.syncsRequested - before[(int) id], "syncs on member " + id);
            assertEquals("v" + (PUTS - 1), c.valueAt(id, "k" + (PUTS - 1)));
        }
    }

    /** A follower and then the leader crash after their last commit-only advance; both catch up identically. */
    @Test
    void aCrashThatLosesTheLastCommitAdvanceRecoversTheSameState() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        for (int i = 0; i < PUTS; i++) {
            assertTrue(c.putAndSettle(1, "k" + i, "v" + i).succeeded());
        }
        for (long crashed = 2; crashed >= 1; crashed--) {
            Node n = c.node(crashed);
            long applied = n.replica.raft().appliedIndex();
            long revision = n.replica.mvcc().revision();
            c.crash(crashed);
            dev.keel.replica.wal.RecoveredLog recovered = WalRecovery.read(n.disk.load());
            assertTrue(recovered.commit < applied, "member " + crashed + ": the commit-only advance was synced");
            assertEquals(c.node(3).replica.raft().lastIndex(), recovered.storage.lastIndex(), "entries synced");
            assertTrue(c.restart(crashed).started(), n.lastStart.refusal());
            assertTrue(n.replica.raft().appliedIndex() <= recovered.commit, "applied beyond the durable commit");
            for (int t = 0; t < 100 && n.replica.raft().appliedIndex() < applied; t++) {
                c.tickAll();
            }
            assertTrue(n.replica.raft().appliedIndex() >= applied, "member " + crashed + " did not catch up");
            assertEquals(c.node(3).replica.mvcc().revision(), n.replica.mvcc().revision());
            assertTrue(n.replica.mvcc().revision() >= revision);
            for (int i = 0; i < PUTS; i++) {
                assertEquals("v" + i, c.valueAt(crashed, "k" + i));
                assertEquals(Kv.localVersion(c.node(3).replica, "k" + i), Kv.localVersion(n.replica, "k" + i));
            }
        }
    }
}
