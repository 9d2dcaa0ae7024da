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

    /**
     * The Figure 8 choreography of {@code 06_figure8.txt}, with the bug: leader 1 commits the earlier-term
     * entry by counting replicas, and the next leader, legitimately elected, lacks it.
     */
    @Test
    void figure8BugIsCaughtByTheStateMachineSafetyCheck() {
        ScenarioRunner runner = new ScenarioRunner();
        runner.run("cluster voters=1,2,3,4,5 prevote=false checkquorum=false stickiness=false maxbytes=1");
        for (TestNode n : runner.cluster().nodes.values()) {
            n.inject("commit-earlier-term-by-count");
        }
        String[] steps = {"campaign 1", "stabilize quiet", "propose 1 xx", "deliver from=1 to=2", "deliver from=1 drop",
            "stabilize", "crash 1", "campaign 5", "deliver type=MsgVote", "deliver type=MsgVoteResp", "crash 5",
            "restart 1", "campaign 1", "stabilize quiet", "campaign 1", "deliver type=MsgVote",
            "deliver type=MsgVoteResp", "deliver from=1 to=2", "deliver from=2 to=1", "deliver from=1 to=3",
            "deliver from=3 to=1", "deliver from=1 to=3", "deliver from=3 to=1", "deliver from=1 drop", "crash 1",
            "restart 5", "campaign 5", "stabilize quiet", "campaign 5", "stabilize quiet", "tick 5",
            "stabilize quiet"};
        AssertionError caught = null;
        for (String step : steps) {
            try {
                runner.run(step);
            } catch (AssertionError e) {
                caught = e;
                break;
            }
        }
        assertTrue(caught != null && (caught.getMessage().contains("leader completeness")
                        || caught.getMessage().contains("state machine safety")),
                "the injected Figure 8 bug went unnoticed: " + caught);
    }
}
