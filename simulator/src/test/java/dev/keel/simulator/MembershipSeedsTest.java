package dev.keel.simulator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Membership changes and leadership transfers under faults: {@code keel.sim.membershipSeeds} seeds (100 by
 * default) of 20 virtual seconds, alternating 3- and 5-node clusters, with the {@code membership} and
 * {@code transfer} faults always allowed together with crashes, partitions, an isolated leader, loss, delay,
 * pauses, clock jumps, a full disk and corruption. Every seed must pass every check, and the seed set must
 * actually change the membership (adding, promoting and removing members, the leader included) and move
 * leadership.
 */
class MembershipSeedsTest {
    private static final int VIRTUAL_SECONDS = 20;

    @Test
    void everySeedPassesEveryCheckWhileTheMembershipChanges() {
        int count = Integer.getInteger("keel.sim.membershipSeeds", 100);
        long[] seeds = SimulatorCli.seedSequence(0x6d656d62L, count);
        EnumSet<FaultKind> faults = EnumSet.of(FaultKind.MEMBERSHIP, FaultKind.TRANSFER, FaultKind.CRASH,
                FaultKind.PARTITION, FaultKind.ISOLATE_LEADER, FaultKind.LOSS, FaultKind.DELAY, FaultKind.PAUSE,
                FaultKind.CLOCK_JUMP, FaultKind.DISK_FULL, FaultKind.CORRUPTION);
        List<String> failures = new ArrayList<>();
        int changes = 0;
        int transfers = 0;
        int refused = 0;
        int stopped = 0;
        int[] byKind = new int[AdminRequest.Kind.values().length + 1];
        long started = System.nanoTime();
        for (int i = 0; i < seeds.length; i++) {
            SimConfig config = new SimConfig(seeds[i], i % 2 == 0 ? 3 : 5, VIRTUAL_SECONDS, faults);
            Simulation simulation = new Simulation(config);
            SimResult result = simulation.run();
            changes += simulation.operator.changesApplied;
            transfers += simulation.operator.transfersDone;
            refused += simulation.operator.refused;
            stopped += simulation.operator.stopped;
            for (int k = 0; k < byKind.length; k++) {
                byKind[k] += simulation.operator.doneByKind[k];
            }
            if (!result.passed()) {
                failures.add("seed 0x" + Long.toHexString(seeds[i]) + ": " + result.failedCheck() + "\n  replay: "
                        + config.replayCommand() + "\n  " + result.plan() + "\n  " + result.detail());
            }
        }
        System.out.printf("%d membership seeds, %d failed, %d changes and %d transfers done, %d admin requests"
                        + " refused, %d removed processes stopped by the operator, %.1f s%n", count, failures.size(),
                changes, transfers, refused, stopped, (System.nanoTime() - started) / 1e9);
        System.out.printf("  done: %d add-learner, %d add-voter, %d promote, %d remove (of which %d the leader"
                + " removing itself), %d transfer%n", byKind[0], byKind[1], byKind[2], byKind[3] + byKind[5], byKind[5],
                byKind[4]);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(changes >= count / 2, "the seeds hardly changed the membership: " + changes + " changes");
        assertTrue(transfers >= count / 4, "the seeds hardly moved leadership: " + transfers + " transfers");
    }
}
