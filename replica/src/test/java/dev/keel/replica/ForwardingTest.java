package dev.keel.replica;

import dev.keel.replica.testing.Kv;
import dev.keel.replica.testing.TestCluster;
import dev.keel.replica.testing.TestCluster.Outcome;
import dev.keel.replica.testing.TestCluster.Sent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void aForwardRefusedByAMemberThatNeverLedItsTermKeepsTheOriginWaitingForALaterCopy() {
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
        assertNull(c.node(2).outcome(token), "a copy refused by a member that never led the term proves nothing:"
                + " another copy may still be proposed");
        c.inject(forward); // a duplicate reaches the leader
        replicate(c);
        Outcome o = c.node(2).outcome(token);
        assertNotNull(o, "the origin never answered");
        assertTrue(o.succeeded(), o.toString());
        for (long id = 1; id <= 3; id++) {
            assertEquals(1, Kv.localVersion(c.node(id).replica, "k"), "applied other than once on " + id);
        }
    }

    /** Ticks node 1, cut off from the others, until check quorum makes it step down (in the same term). */
    private static void stepDownInItsTerm(TestCluster c) {
        long term = c.node(1).replica.raft().term();
        for (int i = 0; i < 100 && c.node(1).replica.isLeader(); i++) {
            c.tick(1);
        }
        assertFalse(c.node(1).replica.isLeader(), "check quorum did not demote the cut-off leader");
        assertEquals(term, c.node(1).replica.raft().term());
    }

    @Test
    void aForwardRefusedByTheLeaderOfItsTermThatNeverProposedItFailsAsNotApplied() {
        TestCluster c = new TestCluster(3);
        Held held = forwardHeld(c);
        long token = held.token();
        Sent forward = held.forward();
        c.drop = s -> s.from() == 1 || s.to() == 1;
        stepDownInItsTerm(c);
        c.drop = s -> false;
        c.inject(forward); // too late: node 1 no longer leads the term the origin believed in, and never will
        c.settle();
        assertFailed(c.node(2).outcome(token), ReplicaError.LEADER_CHANGED, Fate.NOT_APPLIED);
        c.electAmong(1, 2, 3);
        replicate(c);
        for (long id = 1; id <= 3; id++) {
            assertNull(c.valueAt(id, "k"), "a write reported never applied was applied on " + id);
        }
    }

    @Test
    void aDuplicateRefusedAfterItsTermEndedLeavesTheOriginWaitingForTheProposedCopy() {
        TestCluster c = new TestCluster(3);
        Held held = forwardHeld(c);
        long token = held.token();
        Sent forward = held.forward();
        c.drop = s -> s.from() == 2 || s.to() == 2; // the origin hears nothing for now
        c.inject(forward); // proposed by node 1 and committed with node 3
        c.settle();
        assertEquals("v", c.valueAt(1, "k"));
        c.drop = s -> s.from() == 1 || s.to() == 1 || s.to() == 2;
        stepDownInItsTerm(c);
        c.drop = s -> !s.isForwardFrame();
        c.inject(forward); // the duplicate is refused, but its first copy was proposed
        c.settle();
        assertNull(c.node(2).outcome(token), "the origin gave up on a write that was proposed and committed");
        c.drop = s -> false;
        c.electAmong(1, 2, 3);
        replicate(c);
        Outcome o = c.node(2).outcome(token);
        assertNotNull(o, "the origin never answered");
        assertTrue(o.succeeded(), o.toString());
        assertEquals("v", c.valueAt(2, "k"));
    }

    @Test
    void aLostForwardIsKnownNeverAppliedOnceTheOriginAppliesAnEntryOfALaterTerm() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        long term = c.node(1).replica.raft().term();
        c.drop = Sent::isForwardFrame;
        long token = c.put(2, "k", "v");
        c.settle();
        assertNull(c.node(2).outcome(token));
        c.drop = s -> s.isForwardFrame() || s.from() == 1 || s.to() == 1;
        TestCluster.Node next = c.electAmong(2, 3);
        assertTrue(next.replica.raft().term() > term);
        replicate(c);
        c.tick(2);
        assertFailed(c.node(2).outcome(token), ReplicaError.LEADER_CHANGED, Fate.NOT_APPLIED);
        c.drop = s -> false;
        c.tickAll();
        for (long id = 1; id <= 3; id++) {
            assertNull(c.valueAt(id, "k"), "a write reported never applied was applied on " + id);
        }
    }

    private static void assertFailed(Outcome o, ReplicaError error, Fate fate) {
        assertNotNull(o, "the request was not answered");
        assertEquals(Outcome.Kind.FAILED, o.kind(), o.toString());
        assertEquals(error, o.error());
        assertEquals(fate, o.fate());
    }

    /** A put submitted on follower 2 whose forward frame to leader 1 is held back. */
    private record Held(long token, Sent forward) {
    }

    private static Held forwardHeld(TestCluster c) {
        c.elect(1);
        c.hold = Sent::isForwardFrame;
        long token = c.put(2, "k", "v");
        c.settle();
        Sent forward = c.held.remove(0);
        c.hold = s -> false;
        return new Held(token, forward);
    }
}
