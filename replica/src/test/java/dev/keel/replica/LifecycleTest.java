package dev.keel.replica;

import dev.keel.kernel.util.SplitMix64;
import dev.keel.replica.testing.Kv;
import dev.keel.replica.testing.TestCluster;
import dev.keel.replica.testing.TestCluster.Node;
import dev.keel.replica.testing.TestCluster.Outcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping, refusing a corrupted disk, group commit, and the bound on inputs held during a sync. */
class LifecycleTest {

    private static void assertFailed(Outcome o, ReplicaError error, Fate fate) {
        assertNotNull(o, "the request was not answered");
        assertEquals(error, o.error(), o.toString());
        assertEquals(fate, o.fate());
    }

    @Test
    void stopAnswersEveryWaitingRequestAndRefusesNewOnes() {
        TestCluster c = new TestCluster(3);
        Node leader = c.elect(1);
        c.drop = s -> s.from() == 1;
        long write = c.put(1, "k", "v");
        long read = c.get(1, "k", false);
        leader.replica.stop();
        assertFalse(leader.replica.running());
        assertFailed(leader.outcome(write), ReplicaError.STOPPED, Fate.UNKNOWN);
        assertFailed(leader.outcome(read), ReplicaError.STOPPED, Fate.NOT_APPLIED);
        assertFailed(c.node(1).outcome(c.put(1, "k", "v")), ReplicaError.STOPPED, Fate.NOT_APPLIED);
    }

    @Test
    void aFlippedBitInTheDiskKeepsTheReplicaDown() {
        for (int seed = 0; seed < 20; seed++) {
            TestCluster c = new TestCluster(1, cfg -> cfg.withSnapshots(3, 1));
            c.elect(1);
            for (int i = 0; i < 5; i++) {
                assertTrue(c.putAndSettle(1, "k" + i, "v" + i).succeeded());
            }
            c.crash(1);
            String where = c.node(1).disk.flipDurableBit(new SplitMix64(seed));
            StartResult r = c.restart(1);
            assertFalse(r.started(), "seed " + seed + ": started with a flip in " + where);
            assertNotNull(r.refusal());
            assertTrue(r.refusal().contains("snapshot") || r.refusal().contains("segment"), r.refusal());
        }
    }

    @Test
    void writesArrivingDuringASyncGoIntoOneBatch() {
        TestCluster c = new TestCluster(1);
        Node n = c.elect(1);
        long first = c.put(1, "a", "1");
        assertTrue(n.replica.syncing());
        long[] more = {c.put(1, "b", "2"), c.put(1, "c", "3"), c.put(1, "d", "4")};
        assertEquals(1, n.disk.pendingSyncs());
        assertEquals(1, n.disk.completeSyncs()); // the first batch; the three others are stepped after it
        assertEquals(1, n.disk.pendingSyncs(), "the queued writes took more than one sync");
        c.settle();
        assertTrue(n.outcome(first).succeeded());
        for (long token : more) {
            assertTrue(n.outcome(token).succeeded());
        }
        assertEquals("4", c.valueAt(1, "d"));
    }

    @Test
    void writesBeyondTheQueueBoundDuringASyncAreRefused() {
        TestCluster c = new TestCluster(1);
        Node n = c.elect(1);
        c.put(1, "a", "1");
        assertTrue(n.replica.syncing());
        String big = "x".repeat(10_000);
        long refused = 0;
        for (int i = 0; i < 10_000 && refused == 0; i++) {
            long token = c.put(1, "k" + i, big);
            Outcome o = n.outcome(token);
            if (o != null) {
                assertFailed(o, ReplicaError.TOO_MANY_REQUESTS, Fate.NOT_APPLIED);
                refused = token;
            }
        }
        assertTrue(refused > 0, "the queue never filled");
        c.settle();
        assertTrue(n.replica.running());
        assertTrue(c.putAndSettle(1, "after", "ok").succeeded());
    }

    @Test
    void aForwardedWriteWhoseFrameIsLostTimesOutOnTheFollower() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withRequestTimeoutTicks(4));
        c.elect(1);
        c.drop = TestCluster.Sent::isForwardFrame;
        long token = c.put(2, "k", "v");
        for (int i = 0; i < 4; i++) {
            c.node(2).replica.tick();
            c.tick(1);
        }
        assertFailed(c.node(2).outcome(token), ReplicaError.TIMED_OUT, Fate.UNKNOWN);
        assertEquals(null, Kv.localValue(c.node(1).replica, "k"));
    }
}
