package dev.keel.kernel.raft;

import dev.keel.kernel.testing.Property;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raft's safety properties over random schedules (see {@link RandomSchedule}): election safety, log matching,
 * leader completeness, state machine safety — checked by the test cluster after every step, failing with an
 * {@link AssertionError} — and progress once the network heals. Each try is one seed; a failure prints it with
 * the command that replays it.
 */
class RaftPropertiesTest {

    @Test
    void threeNodeClustersStaySafeAndRecover() {
        Property.forAll("raft random schedules, 3 nodes", 600, seed -> runAndRequireProgress(seed, 3));
    }

    @Test
    void fiveNodeClustersStaySafeAndRecover() {
        Property.forAll("raft random schedules, 5 nodes", 400, seed -> runAndRequireProgress(seed, 5));
    }

    private static void runAndRequireProgress(long seed, int voters) {
        RandomSchedule schedule = new RandomSchedule(seed, voters);
        schedule.run(3000);
        // The liveness phase already demanded a write applied everywhere; a schedule that applied nothing at
        // all would have checked nothing.
        assertTrue(schedule.cluster().appliedCount() > voters, "no entries were applied");
    }
}
