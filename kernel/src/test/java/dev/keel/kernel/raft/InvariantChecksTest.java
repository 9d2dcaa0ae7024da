package dev.keel.kernel.raft;

import dev.keel.kernel.util.InvariantViolation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The always-on invariants of progress tracking and the read queue fire when broken (here on purpose). */
class InvariantChecksTest {

    @Test
    void progressMatchMustStayBelowNext() {
        RaftNode leader = singleLeader();
        ProgressTracker pr = leader.progress;
        int self = pr.slotOf(leader.id());
        pr.next[self] = pr.match[self];
        InvariantViolation e = assertThrows(InvariantViolation.class, leader::tick);
        assertTrue(e.getMessage().contains("match must stay below next"), e.getMessage());
    }

    @Test
    void aLeaderNeverCountsAnOwnCopyThatIsNotDurable() {
        RaftNode leader = singleLeader();
        ProgressTracker pr = leader.progress;
        int self = pr.slotOf(leader.id());
        pr.match[self] = leader.persistedIndex() + 1;
        pr.next[self] = pr.match[self] + 1;
        InvariantViolation e = assertThrows(InvariantViolation.class, leader::tick);
        assertTrue(e.getMessage().contains("counts only its durable log"), e.getMessage());
    }

    @Test
    void readQueueRefusesToGrowPastItsBound() {
        ReadRequests reads = new ReadRequests(2);
        reads.addPending(1, 1, 0, 0, ReadRequests.AWAITING_QUORUM);
        reads.addPending(2, 1, 0, 0, ReadRequests.AWAITING_QUORUM);
        InvariantViolation e = assertThrows(InvariantViolation.class,
                () -> reads.addPending(3, 1, 0, 0, ReadRequests.AWAITING_QUORUM));
        assertEquals("read queue full: callers check isFull() first (queued, capacity) (2, 2)", e.getMessage());
    }

    @Test
    void readQueueBoundCoversPendingAndConfirmedTogether() {
        ReadRequests reads = new ReadRequests(2);
        reads.addPending(1, 1, 0, 0, ReadRequests.AWAITING_QUORUM);
        reads.addPending(2, 1, 0, 0, ReadRequests.AWAITING_QUORUM);
        reads.addConfirmed(3, 0, ReadState.OK); // each array alone is within the bound, both together are not
        assertThrows(InvariantViolation.class, reads::checkBound);
    }

    private static RaftNode singleLeader() {
        ConfState initial = new ConfState();
        initial.addVoter(1);
        RaftNode node = RaftNode.bootstrap(RaftConfig.defaults(1, 5), new InMemoryLogStorage(new ConfState()),
                initial);
        drain(node);
        node.campaign();
        drain(node);
        assertEquals(Role.LEADER, node.role());
        return node;
    }

    private static void drain(RaftNode node) {
        while (node.hasReady()) {
            node.ready();
            node.advance();
        }
    }
}
