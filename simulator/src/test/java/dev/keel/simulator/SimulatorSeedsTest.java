package dev.keel.simulator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI seed set: {@code keel.sim.seeds} seeds (200 by default, 10,000 with {@code -Psim-long}) with every
 * fault kind allowed, alternating 3- and 5-node clusters. Every seed must pass every check; a failure prints
 * the seed, the check and the replay command.
 */
class SimulatorSeedsTest {
    private static final int VIRTUAL_SECONDS = 20;

    @Test
    void everyCiSeedPassesEveryCheck() {
        int count = Integer.getInteger("keel.sim.seeds", 200);
        long[] seeds = SimulatorCli.seedSequence(2026, count);
        List<String> failures = new ArrayList<>();
        int unknown = 0;
        long virtualMicros = 0;
        long started = System.nanoTime();
        for (int i = 0; i < seeds.length; i++) {
            SimConfig config = new SimConfig(seeds[i], i % 2 == 0 ? 3 : 5, VIRTUAL_SECONDS,
                    EnumSet.allOf(FaultKind.class));
            SimResult result = new Simulation(config).run();
            virtualMicros += result.virtualMicros();
            if (result.linearizability().startsWith("unknown")) {
                unknown++;
            }
            if (!result.passed()) {
                failures.add("seed 0x" + Long.toHexString(seeds[i]) + ": " + result.failedCheck() + "\n  replay: "
                        + config.replayCommand() + "\n  " + result.plan() + "\n  " + result.detail());
            }
        }
        double wall = (System.nanoTime() - started) / 1e9;
        System.out.printf("%d seeds, %d failed, %d with an undecided history check, %.0f virtual s in %.1f s"
                + " (%.0fx)%n", count, failures.size(), unknown, virtualMicros / 1e6, wall, virtualMicros / 1e6 / wall);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
