package dev.keel.replica;

import dev.keel.replica.testing.Kv;
import dev.keel.replica.testing.TestCluster;
import dev.keel.replica.testing.TestCluster.Outcome;
import dev.keel.replica.testing.TestCluster.Sent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A follower forwards writes to the leader and answers them when the entry is applied on the follower. */
class ForwardingTest {

    /** Settles, then ticks the leader until the follower has applied everything committed. */
    private static void replicate(TestCluster c) {
        c.settle();
        c.tick(1);
    }

    @Test
    void aWriteOnAFollowerIsForwardedCommittedAndAnsweredThere() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        long token = c.put(2, "k", "v");
        assertTrue(c.sent.stream().anyMatch(s -> s.from() == 2 && s.to() == 1 && s.isForwardFrame()));
        replicate(c);
        Outcome o = c.node(2).outcome(token);
        assertNotNull(o, "the follower never answered");
        assertTrue(o.succeeded(), o.toString());
        assertTrue(Kv.ok(o.response()));
        assertTrue(Kv.revision(o.response()) > 1, "a put's response names the revision it created");
        assertNull(c.node(1).outcome(token), "the leader answered a request it did not receive");
        for (long id = 1; id <= 3; id++) {
            assertEquals("v", c.valueAt(id, "k"));
        }
    }

    @Test
    void aDuplicatedForwardFrameIsProposedOnce() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.duplicate = Sent::isForwardFrame;
        long token = c.put(2, "k", "v");
        replicate(c);
        assertTrue(c.node(2).outcome(token).succeeded());
        for (long id = 1; id <= 3; id++) {
            assertEquals(1, Kv.localVersion(c.node(id).replica, "k"), "the duplicate was applied on " + id);
        }
    }

    @Test
    void aForwardReachingANonLeaderIsRejectedAndTheOriginFailsTheWriteWithUnknownFate() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.hold = Sent::isForwardFrame;
        long token = c.put(2, "k", "v");
        c.settle();
        assertEquals(1, c.held.size());
        Sent forward = c.held.remove(0);
        c.hold = s -> false;
        c.inject(new Sent(forward.from(), 3, forward.bytes())); // node 3 follows: it must refuse
        c.settle();
        Outcome o = c.node(2).outcome(token);
        assertNotNull(o, "the origin never answered");
        assertEquals(ReplicaError.LEADER_CHANGED, o.error());
        assertEquals(Fate.UNKNOWN, o.fate());
        assertNull(c.valueAt(3, "k"));
        assertNull(c.valueAt(1, "k"));
    }
}
