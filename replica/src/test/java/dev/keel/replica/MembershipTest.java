package dev.keel.replica;

import dev.keel.replica.testing.TestCluster;
import dev.keel.replica.testing.TestCluster.Node;
import dev.keel.replica.testing.TestCluster.Outcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Membership changes and leadership transfer through the replica (etcd's Cluster API and MoveLeader). */
class MembershipTest {

    private static Outcome succeeded(Node node, long token) {
        Outcome o = node.outcome(token);
        assertNotNull(o, "node " + node.id + " did not answer token " + token);
        assertEquals(Outcome.Kind.SUCCEEDED, o.kind(), o.toString());
        return o;
    }

    private static void failed(Node node, long token, ReplicaError error) {
        Outcome o = node.outcome(token);
        assertNotNull(o, "node " + node.id + " did not answer token " + token);
        assertEquals(Outcome.Kind.FAILED, o.kind(), o.toString());
        assertEquals(error, o.error(), o.toString());
    }

    private static void tickAll(TestCluster c, int times) {
        for (int i = 0; i < times; i++) {
            c.tickAll();
        }
    }

    /** A learner joins with an empty disk, catches up, is promoted, and then counts in quorums. */
    @Test
    void aLearnerJoinsCatchesUpAndIsPromoted() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        for (int i = 0; i < 20; i++) {
            c.putAndSettle(1, "k" + i, "v" + i);
        }
        Node joiner = c.startJoiner();
        assertTrue(joiner.lastStart.started());
        assertEquals(4, joiner.id);
        long add = c.addMember(1, 4, true);
        c.settle();
        Outcome added = succeeded(c.node(1), add);
        assertEquals("voters=(1 2 3) learners=(4)", added.members());
        tickAll(c, 3);
        assertEquals("v19", c.valueAt(4, "k19"), "the learner did not catch up");
        assertFalse(joiner.replica.isLeader());

        long promote = c.promoteMember(1, 4);
        c.settle();
        assertEquals("voters=(1 2 3 4)", succeeded(c.node(1), promote).members());
        tickAll(c, 2);
        assertTrue(joiner.replica.raft().configuration().isVoter(4), "the new voter did not learn its promotion");

        // Nodes 2 and 3 are down: 1 and 4 are not a majority of four, so a write waits; with 3 back it commits.
        c.crash(2);
        c.crash(3);
        long put = c.put(1, "after", "promotion");
        c.settle();
        assertEquals(null, c.node(1).outcome(put));
        c.restart(3);
        tickAll(c, 3);
        assertTrue(c.node(1).outcome(put).succeeded());
        assertEquals("promotion", c.valueAt(4, "after"));
    }

    @Test
    void aVoterCanBeAddedDirectlyAndServesForwardedWrites() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.putAndSettle(1, "a", "1");
        c.startJoiner();
        long add = c.addMember(1, 4, false);
        c.settle();
        assertEquals("voters=(1 2 3 4)", succeeded(c.node(1), add).members());
        tickAll(c, 3);
        assertEquals("1", c.valueAt(4, "a"));
        Outcome forwarded = c.putAndSettle(4, "b", "2");
        assertTrue(forwarded.succeeded(), "the new voter's forwarded write failed: " + forwarded);
    }

    /** A removed follower applies its removal (or is told it) and stops; the rest keep committing. */
    @Test
    void aRemovedVoterStopsAndTheRestKeepCommitting() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.putAndSettle(1, "k", "v");
        long remove = c.removeMember(1, 3);
        c.settle();
        assertEquals("voters=(1 2)", succeeded(c.node(1), remove).members());
        tickAll(c, 2);
        Node removed = c.node(3);
        assertTrue(removed.replica.removed(), "node 3 did not learn that it was removed");
        long late = c.put(3, "late", "x");
        failed(removed, late, ReplicaError.REMOVED);
        assertEquals("etcdserver: the member has been permanently removed from the cluster",
                ReplicaError.REMOVED.message());
        assertTrue(c.putAndSettle(1, "k2", "v2").succeeded());
        assertEquals("v2", c.valueAt(2, "k2"));
        assertTrue(removed.replica.running(), "it should keep answering peers for an election timeout");
        tickAll(c, 10);
        assertFalse(removed.replica.running());

        // Restarted from its disk, it learns again that it was removed and stops: by applying its removal if its
        // disk knew it committed, else when it next campaigns (a commit index alone is not synced) and the members
        // that applied the removal tell it — within two election timeouts.
        c.crash(3);
        assertTrue(c.restart(3).started());
        tickAll(c, 2 * 20 + 2);
        assertTrue(c.node(3).replica.removed(), "the restarted removed member serves again");
        assertFalse(c.node(1).replica.raft().configuration().isMember(3));
    }

    /** The leader removes itself: it answers, steps down and stops; the others elect a leader among them. */
    @Test
    void removingTheLeaderElectsANewLeaderAmongTheRest() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.putAndSettle(1, "k", "v");
        long remove = c.removeMember(1, 1);
        c.settle();
        assertEquals("voters=(2 3)", succeeded(c.node(1), remove).members());
        assertTrue(c.node(1).replica.removed());
        assertFalse(c.node(1).replica.isLeader());
        Node next = c.electAmong(2, 3); // node 1 may still vote: it stops an election timeout later
        assertNotEquals(1, next.id);
        tickAll(c, 2);
        assertTrue(c.putAndSettle(next.id, "k2", "v2").succeeded());
        assertEquals("v2", c.valueAt(next.id == 2 ? 3 : 2, "k2"));
    }

    @Test
    void leadershipMovesToTheTransferee() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.putAndSettle(1, "k", "v");
        long move = c.transferLeadership(1, 3);
        c.settle();
        tickAll(c, 2);
        Outcome moved = succeeded(c.node(1), move);
        assertEquals(3, moved.leader());
        assertTrue(c.node(3).replica.isLeader());
        assertTrue(c.putAndSettle(3, "k2", "v2").succeeded());
        long toSelf = c.transferLeadership(3, 3);
        assertEquals(3, succeeded(c.node(3), toSelf).leader());
    }

    @Test
    void theKernelsRefusalsBecomeEtcdsErrors() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        long exists = c.addMember(1, 2, false);
        failed(c.node(1), exists, ReplicaError.MEMBER_EXISTS);
        assertEquals("etcdserver: member ID already exist", ReplicaError.MEMBER_EXISTS.message());
        failed(c.node(1), c.removeMember(1, 9), ReplicaError.MEMBER_NOT_FOUND);
        failed(c.node(1), c.promoteMember(1, 9), ReplicaError.MEMBER_NOT_FOUND);
        failed(c.node(1), c.promoteMember(1, 2), ReplicaError.MEMBER_NOT_LEARNER);
        assertEquals(5, ReplicaError.MEMBER_NOT_FOUND.grpcCode());
        assertEquals(9, ReplicaError.MEMBER_NOT_LEARNER.grpcCode());
        failed(c.node(1), c.transferLeadership(1, 9), ReplicaError.BAD_LEADER_TRANSFEREE);
        assertEquals("etcdserver: bad leader transferee", ReplicaError.BAD_LEADER_TRANSFEREE.message());
        failed(c.node(1), c.addMember(1, -4, false), ReplicaError.BAD_MEMBER);

        // One change at a time: a second one while the first is not applied is refused.
        c.hold = s -> true;
        long first = c.addMember(1, 4, true);
        c.syncAll(); // appended on the leader, not acknowledged by anyone
        c.deliverAll();
        failed(c.node(1), c.addMember(1, 5, true), ReplicaError.UNHEALTHY);
        c.hold = s -> false;
        c.held.forEach(c::inject);
        c.held.clear();
        c.settle();
        succeeded(c.node(1), first);

        // Node 4 never started: it stays behind, so it cannot be promoted yet.
        for (int i = 0; i < 1100; i++) {
            c.put(1, "k", "v" + i);
        }
        c.settle();
        failed(c.node(1), c.promoteMember(1, 4), ReplicaError.LEARNER_NOT_READY);
        assertEquals("etcdserver: can only promote a learner member which is in sync with leader",
                ReplicaError.LEARNER_NOT_READY.message());
    }

    @Test
    void aFollowerRefusesAdminRequestsNamingTheLeader() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        long add = c.addMember(2, 4, true);
        failed(c.node(2), add, ReplicaError.NOT_LEADER);
        assertEquals(1, c.node(2).outcome(add).leader());
        long move = c.transferLeadership(3, 2);
        failed(c.node(3), move, ReplicaError.NOT_LEADER);
        assertEquals(1, c.node(3).outcome(move).leader());
    }

    @Test
    void aChangeAskedDuringASyncIsQueuedAndAnswered() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        c.slowDisks.add(1L);
        c.put(1, "k", "v"); // a batch whose sync stays pending on the leader
        assertTrue(c.node(1).replica.syncing());
        long add = c.addMember(1, 4, true);
        assertEquals(null, c.node(1).outcome(add));
        c.slowDisks.clear();
        c.settle();
        assertEquals("voters=(1 2 3) learners=(4)", succeeded(c.node(1), add).members());
    }

    @Test
    void aTransferThatCannotHappenTimesOut() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withRequestTimeoutTicks(30));
        c.elect(1);
        c.drop = s -> s.to() == 3 || s.from() == 3;
        long move = c.transferLeadership(1, 3);
        for (int i = 0; i < 31 && c.node(1).outcome(move) == null; i++) {
            c.tick(1);
            c.tick(2);
        }
        failed(c.node(1), move, ReplicaError.TRANSFER_TIMED_OUT);
    }
}
