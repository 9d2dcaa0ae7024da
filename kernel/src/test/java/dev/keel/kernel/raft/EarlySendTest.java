package dev.keel.kernel.raft;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Ready#messageMayLeaveBeforeSync}: which messages a host may send before its sync, and that a leader
 * whose appends left early still commits nothing by counting a copy of its own that is not yet durable.
 */
class EarlySendTest {
    private static final byte[] X = "x".getBytes(StandardCharsets.UTF_8);

    @Test
    void onlyTheTypesOnlyLeadersSendAreEarly() {
        for (int type = MessageType.APP; type <= MessageType.READ_INDEX_RESP; type++) {
            boolean leaderOnly = type == MessageType.APP || type == MessageType.HEARTBEAT
                    || type == MessageType.SNAP || type == MessageType.TIMEOUT_NOW;
            assertEquals(leaderOnly, MessageType.isSentOnlyByLeaders(type), MessageType.name(type));
        }
    }

    @Test
    void votesAndAcknowledgementsWaitForTheSyncAppendsDoNot() {
        TestCluster cluster = TestCluster.threeVotersLedBy1();
        TestNode leader = cluster.node(1);
        TestNode follower = cluster.node(2);
        // A candidate's vote requests wait: they go out with its new term and self-vote.
        follower.node.campaign();
        Ready campaign = follower.node.ready();
        assertTrue(campaign.messageCount() > 0);
        for (int i = 0; i < campaign.messageCount(); i++) {
            assertFalse(campaign.messageMayLeaveBeforeSync(i), MessageType.name(campaign.messageType(i)));
        }
        follower.node.advance(); // (the test drops these messages)

        long index = leader.node.propose(new UnsafeBuffer(X), 0, X.length);
        Ready r = leader.node.ready();
        assertEquals(index, r.persistTo());
        assertEquals(2, r.messageCount());
        for (int i = 0; i < r.messageCount(); i++) {
            assertEquals(MessageType.APP, r.messageType(i));
            assertTrue(r.messageMayLeaveBeforeSync(i));
        }
        leader.node.advance();
        // The follower's acknowledgement of the append (or its rejection) waits for its own sync.
        Envelope append = Envelope.copyOf(r, 1);
        TestNode target = cluster.node(append.to());
        target.node.step(new UnsafeBuffer(append.bytes()), 0, append.bytes().length);
        Ready ack = target.node.ready();
        assertEquals(MessageType.APP_RESP, ack.messageType(0));
        assertFalse(ack.messageMayLeaveBeforeSync(0));
        target.node.advance();
    }

    /**
     * The rule itself, with the acknowledgement arriving while the leader's entry is not yet durable (stepped
     * before the leader's ready(); a host following the contract would only step it after advance()).
     */
    @Test
    void oneFollowerAckDoesNotCommitUntilTheLeadersOwnCopyIsDurable() {
        RaftNode leader = TestCluster.threeVotersLedBy1().node(1).node;
        long committed = leader.commitIndex();
        long index = leader.propose(new UnsafeBuffer(X), 0, X.length);
        stepAck(leader, 2, index);
        assertEquals(committed, leader.commitIndex(), "committed by counting the leader's unsynced copy");
        assertEquals(index - 1, leader.progressMatch(1));

        // The batch carrying the entry also carries the commit its sync completes (written with the entry,
        // applied only after the sync), but none of its messages announces it and the node's commit waits.
        Ready r = leader.ready();
        assertTrue(r.mustSync());
        assertEquals(index, r.commit());
        assertEquals(index, r.applyTo());
        for (int i = 0; i < r.messageCount(); i++) {
            assertTrue(r.messageMayLeaveBeforeSync(i));
            assertTrue(commitOf(r, i) < index, "an early append announced an uncommitted index");
        }
        assertEquals(committed, leader.commitIndex());
        leader.advance();
        assertEquals(index, leader.commitIndex(), "the leader's advance() makes its copy count");
    }

    @Test
    void aSecondFollowerAckCommitsWithoutTheLeadersCopy() {
        RaftNode leader = TestCluster.threeVotersLedBy1().node(1).node;
        long index = leader.propose(new UnsafeBuffer(X), 0, X.length);
        stepAck(leader, 2, index);
        assertTrue(leader.commitIndex() < index);
        stepAck(leader, 3, index);
        assertEquals(index, leader.commitIndex());
    }

    /** A leader whose appends left before its sync and which crashed before it committed nothing. */
    @Test
    void aLeaderCrashingBeforeItsSyncLosesOnlyItsUncommittedCopy() {
        TestCluster cluster = TestCluster.threeVotersLedBy1();
        TestNode leader = cluster.node(1);
        long committed = leader.node.commitIndex();
        leader.slowSync = true;
        long index = leader.node.propose(new UnsafeBuffer(X), 0, X.length);
        cluster.processReady(leader);
        assertEquals(2, cluster.queue.size(), "both appends left before the sync");
        while (!cluster.queue.isEmpty()) {
            cluster.deliver(cluster.queue.remove(0));
        }
        assertEquals(index, cluster.node(2).node.lastIndex());
        assertEquals(committed, leader.node.commitIndex(), "two acknowledgements wait for the sync");
        leader.crash();
        leader.slowSync = false;
        leader.restart();
        assertEquals(index - 1, leader.node.lastIndex(), "the unsynced entry is gone after the crash");
        cluster.processReady(leader);
        // Its last commit advance was a commit-only batch, not synced: it may restart below it, never above.
        assertTrue(leader.node.commitIndex() <= committed);
        assertEquals(leader.durable.commit, leader.node.commitIndex());
    }

    /**
     * A single voter wins its election in the step that starts it, so its new term and self-vote are in the
     * same batch as its first appends (to a learner): those must wait, or a crash could forget the term while
     * the learner holds entries of it, and the restarted node could lead that term again with other entries.
     */
    @Test
    void appendsOfATermNotYetDurableWait() {
        ConfState initial = new ConfState();
        initial.addVoter(1);
        initial.addLearner(2);
        TestCluster cluster = new TestCluster();
        TestNode voter = cluster.add(RaftConfig.defaults(1, 11), initial);
        cluster.add(RaftConfig.defaults(2, 22), initial);
        voter.node.campaign();
        Ready r = voter.node.ready();
        assertEquals(Role.LEADER, r.role());
        assertTrue(r.hasHardState());
        assertEquals(MessageType.APP, r.messageType(0));
        assertFalse(r.messageMayLeaveBeforeSync(0), "an append of a term that is not yet durable");
        voter.node.advance();
        voter.node.propose(new UnsafeBuffer(X), 0, X.length);
        Ready next = voter.node.ready();
        assertEquals(MessageType.APP, next.messageType(0));
        assertTrue(next.messageMayLeaveBeforeSync(0), "the term is durable now");
        voter.node.advance();
    }

    private static void stepAck(RaftNode leader, long from, long index) {
        Outbox out = new Outbox();
        out.begin(MessageType.APP_RESP, from, leader.id(), leader.term()).index(index).end();
        assertEquals(DecodeStatus.OK, leader.step(out.buffer(), out.offset(0), out.length(0)));
    }

    private static long commitOf(Ready r, int i) {
        return r.messageBuffer().getLong(r.messageOffset(i) + MessageLayout.COMMIT_OFFSET, MessageLayout.ORDER);
    }
}
