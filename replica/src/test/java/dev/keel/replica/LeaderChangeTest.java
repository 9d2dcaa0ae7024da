package dev.keel.replica;

import dev.keel.replica.testing.Kv;
import dev.keel.replica.testing.TestCluster;
import dev.keel.replica.testing.TestCluster.Node;
import dev.keel.replica.testing.TestCluster.Outcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What waiting requests come to when leadership moves or time runs out. */
class LeaderChangeTest {

    private static void isolate(TestCluster c, long id) {
        c.drop = s -> s.from() == id || s.to() == id;
    }

    /** Ticks every node until node 2 or 3 leads (node 1 is isolated); returns the new leader. */
    private static Node electAnotherLeader(TestCluster c) {
        for (int i = 0; i < 200; i++) {
            for (long id = 2; id <= 3; id++) {
                if (c.node(id).replica.isLeader()) {
                    return c.node(id);
                }
            }
            c.tickAll();
        }
        throw new AssertionError("nodes 2 and 3 elected no leader");
    }

    private static void assertFailed(Outcome o, ReplicaError error, Fate fate) {
        assertNotNull(o, "the request was not answered");
        assertEquals(Outcome.Kind.FAILED, o.kind(), o.toString());
        assertEquals(error, o.error());
        assertEquals(fate, o.fate());
    }

    @Test
    void theReadRoundInFlightFailsWithLeaderChangedAndTheWaitingReadsGoToTheNextRound() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.putAndSettle(1, "k", "v");
        isolate(c, 1);
        long first = c.get(1, "k", false); // starts a round that cannot complete
        long second = c.get(1, "k", false); // waits for the next round (etcd 3.4 does the same)
        Node next = electAnotherLeader(c);
        c.drop = s -> false;
        c.tick(next.id); // node 1 hears of the new term (if check quorum had not demoted it already)
        assertFalse(c.node(1).replica.isLeader());
        assertEquals(next.id, c.node(1).replica.leaderId());
        assertFailed(c.node(1).outcome(first), ReplicaError.LEADER_CHANGED, Fate.NOT_APPLIED);
        Outcome served = c.node(1).outcome(second);
        assertNotNull(served, "the waiting read was dropped");
        assertTrue(served.succeeded(), "the waiting read was not served by a round through the new leader");
        assertEquals("v", Kv.value(served.response()));
    }

    @Test
    void aPendingWriteOverwrittenByANewLeaderFailsAsNotApplied() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.putAndSettle(1, "before", "1");
        isolate(c, 1);
        long token = c.put(1, "k", "lost"); // in node 1's log only
        Node next = electAnotherLeader(c);
        assertNull(c.node(1).outcome(token), "answered before the new leader's log reached node 1");
        c.drop = s -> false;
        for (int i = 0; i < 5; i++) {
            c.tick(next.id);
        }
        assertFailed(c.node(1).outcome(token), ReplicaError.LEADER_CHANGED, Fate.NOT_APPLIED);
        assertNull(c.valueAt(1, "k"));
        assertEquals("1", c.valueAt(1, "before"));
    }

    @Test
    void aWriteThatCannotCommitTimesOutWithUnknownFate() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withRequestTimeoutTicks(5));
        c.elect(1);
        isolate(c, 1);
        long token = c.put(1, "k", "v");
        for (int i = 0; i < 4; i++) {
            c.tick(1);
        }
        assertNull(c.node(1).outcome(token), "expired early");
        c.tick(1);
        assertFailed(c.node(1).outcome(token), ReplicaError.TIMED_OUT, Fate.UNKNOWN);
    }
}
