package dev.keel.kernel.raft;

import dev.keel.kernel.testing.Property;
import org.junit.jupiter.api.Test;

/**
 * Raft's safety properties over random schedules (see {@link RandomSchedule}): election safety, log matching,
 * leader completeness, state machine safety, and progress once the network heals. Each try is one seed; a
 * failure prints it with the command that replays it.
 */
class RaftPropertiesTest {

    @Test
    void threeNodeClustersStaySafeAndRecover() {
        Property.forAll("raft random schedules, 3 nodes", 600, seed -> new RandomSchedule(seed, 3).run(3000));
    }

    @Test
    void fiveNodeClustersStaySafeAndRecover() {
        Property.forAll("raft random schedules, 5 nodes", 400, seed -> new RandomSchedule(seed, 5).run(3000));
    }
}
