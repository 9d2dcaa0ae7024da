package dev.keel.simulator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI seed sets: {@code keel.sim.seeds} seeds (200 by default, 10,000 with {@code -Psim-long}) with every
 * fault kind allowed, alternating 3- and 5-node clusters, and a quarter as many in the rare mix. Every seed
 * must pass every check; a failure prints the seed, the check and the replay command.
 */
class SimulatorSeedsTest {
    private static final int VIRTUAL_SECONDS = 20;

    @Test
    void everyCiSeedPassesEveryCheck() {
        run(Integer.getInteger("keel.sim.seeds", 200), 2026, Mix.DEFAULT);
    }

    @Test
    void everyRareMixSeedPassesEveryCheck() {
        run(Integer.getInteger("keel.sim.seeds", 200) / 4, 2027, Mix.RARE);
    }

    private static void run(int count, long base, Mix mix) {
        long[] seeds = SimulatorCli.seedSequence(base, count);
        List<String> failures = new ArrayList<>();
        int unknown = 0;
        long virtualMicros = 0;
        long started = System.nanoTime();
        for (int i = 0; i < seeds.length; i++) {
            SimConfig config = new SimConfig(seeds[i], i % 2 == 0 ? 3 : 5, VIRTUAL_SECONDS,
                    EnumSet.allOf(FaultKind.class), mix);
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
        System.out.printf("%s mix: %d seeds, %d failed, %d with an undecided history check, %.0f virtual s in %.1f s"
                + " (%.0fx)%n", mix, count, failures.size(), unknown, virtualMicros / 1e6, wall, virtualMicros / 1e6 / wall);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
