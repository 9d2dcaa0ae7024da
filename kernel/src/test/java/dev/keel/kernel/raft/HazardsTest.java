package dev.keel.kernel.raft;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HazardsTest {

    @Test
    void nodesStartWithoutHazardsAndInjectionIsPerNode() {
        RaftNode a = RaftNode.joining(RaftConfig.defaults(1, 1), new InMemoryLogStorage(new ConfState()));
        RaftNode b = RaftNode.joining(RaftConfig.defaults(2, 2), new InMemoryLogStorage(new ConfState()));
        assertSame(Hazards.NONE, a.hazards);
        BugInjector.inject(a, "vote-without-log-check");
        assertTrue(a.hazards.voteWithoutLogCheck);
        assertSame(Hazards.NONE, b.hazards);
        assertFalse(Hazards.NONE.voteWithoutLogCheck);
        assertThrows(IllegalArgumentException.class, () -> BugInjector.inject(a, "nonsense"));
    }

    /** A node that knows no leader drops a read; with the local-read bug it answers it from its own log at once. */
    @Test
    void localReadAnswersWithoutALeader() {
        RaftNode healthy = RaftNode.joining(RaftConfig.defaults(1, 1), new InMemoryLogStorage(new ConfState()));
        RaftNode buggy = RaftNode.joining(RaftConfig.defaults(2, 2), new InMemoryLogStorage(new ConfState()));
        BugInjector.inject(buggy, "local-read");
        assertTrue(buggy.hazards.readLocally);
        healthy.readIndex(7);
        buggy.readIndex(7);
        Ready dropped = healthy.ready();
        Ready answered = buggy.ready();
        assertTrue(dropped.readStateCount() == 1 && dropped.readStatus(0) == ReadState.DROPPED);
        assertTrue(answered.readStateCount() == 1 && answered.readStatus(0) == ReadState.OK
                && answered.readContext(0) == 7);
    }

    /**
     * With the Figure 8 bug in every node, the kernel's own random schedules soon elect a leader that lacks an
     * entry already applied (the bug committed an earlier-term entry a later leader could overwrite).
     */
    @Test
    void figure8BugIsCaughtByRandomSchedules() {
        for (int i = 0; i < 500; i++) {
            RandomSchedule schedule = new RandomSchedule(i * 7919L + 13, 3);
            for (TestNode n : schedule.cluster().nodes.values()) {
                n.inject("commit-earlier-term-by-count");
            }
            try {
                schedule.run(3000);
            } catch (AssertionError e) {
                String message = e.getMessage();
                assertTrue(message.contains("leader completeness") || message.contains("state machine safety"),
                        message);
                return;
            }
        }
        throw new AssertionError("the injected Figure 8 bug went unnoticed in 500 random schedules");
    }
}
