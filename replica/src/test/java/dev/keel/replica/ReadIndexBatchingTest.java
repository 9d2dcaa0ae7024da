package dev.keel.replica;

import dev.keel.kernel.raft.MessageType;
import dev.keel.replica.testing.Kv;
import dev.keel.replica.testing.TestCluster;
import dev.keel.replica.testing.TestCluster.Outcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Linearizable reads are batched into ReadIndex rounds, one round at a time; serializable ones are not. */
class ReadIndexBatchingTest {

    private static long heartbeatsFrom(TestCluster c, long id) {
        return c.sent.stream().filter(s -> s.from() == id && s.raftType() == MessageType.HEARTBEAT).count();
    }

    private static void assertRead(Outcome o, String value) {
        assertNotNull(o, "the read was not answered");
        assertTrue(o.succeeded(), o.toString());
        assertEquals(value, Kv.value(o.response()));
    }

    @Test
    void readsSubmittedBeforeARoundAreServedByOneRound() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.putAndSettle(1, "k", "v");
        c.put(1, "other", "x"); // its sync stays in flight: no round can start meanwhile
        long before = heartbeatsFrom(c, 1);
        long[] reads = new long[5];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = c.get(1, "k", false);
        }
        assertEquals(before, heartbeatsFrom(c, 1), "a round started while the sync was in flight");
        c.settle();
        assertEquals(before + 2, heartbeatsFrom(c, 1), "five reads took more than one round (two followers)");
        for (long token : reads) {
            assertRead(c.node(1).outcome(token), "v");
        }
    }

    @Test
    void readsArrivingDuringARoundWaitForTheNext() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.putAndSettle(1, "k", "v");
        long before = heartbeatsFrom(c, 1);
        long first = c.get(1, "k", false); // starts a round at once; its heartbeats are not delivered yet
        assertEquals(before + 2, heartbeatsFrom(c, 1));
        long second = c.get(1, "k", false);
        long third = c.get(1, "k", false);
        assertEquals(before + 2, heartbeatsFrom(c, 1), "a second round started while one was in flight");
        assertNull(c.node(1).outcome(first));
        c.settle();
        assertEquals(before + 4, heartbeatsFrom(c, 1), "the waiting reads took exactly one more round");
        assertRead(c.node(1).outcome(first), "v");
        assertRead(c.node(1).outcome(second), "v");
        assertRead(c.node(1).outcome(third), "v");
    }

    @Test
    void serializableReadsAreServedAtOnceWithoutMessages() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.putAndSettle(1, "k", "v");
        c.tick(1); // the followers learn the commit index
        int sentBefore = c.sent.size();
        long onLeader = c.get(1, "k", true);
        long onFollower = c.get(2, "k", true);
        assertEquals(sentBefore, c.sent.size());
        assertRead(c.node(1).outcome(onLeader), "v");
        assertRead(c.node(2).outcome(onFollower), "v");
    }

    @Test
    void aLinearizableReadOnAFollowerAsksTheLeaderAndSeesTheLatestWrite() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.putAndSettle(1, "k", "v1");
        c.putAndSettle(1, "k", "v2"); // the follower may not have applied v2 yet: the read index makes it wait
        long token = c.get(2, "k", false);
        assertTrue(c.sent.stream().anyMatch(s -> s.from() == 2 && s.raftType() == MessageType.READ_INDEX));
        c.settle();
        c.tick(1);
        assertRead(c.node(2).outcome(token), "v2");
    }

    @Test
    void aLateAnswerToARoundOfAnEarlierLifeDoesNotServeALaterLifesRead() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.putAndSettle(1, "k", "old");
        c.hold = s -> s.to() == 2 && s.raftType() == MessageType.READ_INDEX_RESP;
        c.get(2, "k", false);
        c.settle();
        TestCluster.Sent lateAnswer = c.held.get(0);
        c.crash(2);
        c.restart(2);
        c.hold = s -> false;
        c.tick(1);
        c.settle(); // node 2 knows its leader again and has caught up to "old"
        c.drop = s -> s.to() == 2 && s.raftType() == MessageType.APP // node 2 will lag behind "new"
                || s.from() == 2 && s.raftType() == MessageType.READ_INDEX; // and its new round never reaches 1
        c.putAndSettle(1, "k", "new");
        long token = c.get(2, "k", false);
        c.inject(lateAnswer); // the earlier life's answer, at the old index, arrives now
        c.settle();
        Outcome o = c.node(2).outcome(token);
        assertTrue(o == null || !o.succeeded() || "new".equals(Kv.value(o.response())),
                "a restarted member served a read from its earlier life's round: " + o);
    }

    @Test
    void aLinearizableReadWithNoLeaderFailsWithNoLeader() {
        TestCluster c = new TestCluster(3);
        long token = c.get(2, "k", false);
        c.settle();
        Outcome o = c.node(2).outcome(token);
        assertNotNull(o);
        assertEquals(ReplicaError.NO_LEADER, o.error());
    }
}
