package dev.keel.simulator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leases under faults: {@code keel.sim.leaseSeeds} seeds (60 by default) of 20 virtual seconds, alternating 3-
 * and 5-node clusters, each with at least one lease client (seeds that drew none are passed over), under
 * partitions, an isolated leader, crashes, pauses, loss and clock drift. Every seed must pass every check, and
 * the seed set must really grant, keep alive, revoke and expire leases.
 */
class LeaseSeedsTest {
    private static final int VIRTUAL_SECONDS = 20;

    @Test
    void everySeedPassesEveryCheckWhileLeasesComeAndGo() {
        int count = Integer.getInteger("keel.sim.leaseSeeds", 60);
        EnumSet<FaultKind> faults = EnumSet.of(FaultKind.PARTITION, FaultKind.ISOLATE_LEADER, FaultKind.CRASH,
                FaultKind.PAUSE, FaultKind.LOSS, FaultKind.DELAY, FaultKind.CLOCK_DRIFT, FaultKind.TORN_WRITE);
        long[] candidates = SimulatorCli.seedSequence(0x6c65617365L, count * 4);
        List<String> failures = new ArrayList<>();
        long granted = 0;
        long revoked = 0;
        long expired = 0;
        long read = 0;
        int run = 0;
        for (int i = 0; i < candidates.length && run < count; i++) {
            SimConfig config = new SimConfig(candidates[i], run % 2 == 0 ? 3 : 5, VIRTUAL_SECONDS, faults);
            Simulation simulation = new Simulation(config);
            if (simulation.plan.leaseClients == 0) {
                continue;
            }
            run++;
            SimResult result = simulation.run();
            granted += simulation.leasesGranted;
            revoked += simulation.leasesRevoked;
            expired += simulation.leaseExpiries.size();
            read += simulation.leaseKeysRead;
            if (!result.passed()) {
                failures.add("seed 0x" + Long.toHexString(candidates[i]) + ": " + result.failedCheck() + "\n  replay: "
                        + config.replayCommand() + "\n  " + result.plan() + "\n  " + result.detail());
            }
        }
        System.out.printf("%d lease seeds, %d failed: %d leases granted, %d revoked by clients, %d expired and"
                + " revoked by leaders, %d lease keys read back%n", run, failures.size(), granted, revoked, expired, read);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(run == count, "too few seeds drew a lease client: " + run);
        assertTrue(granted >= count && revoked > 0 && expired > 0 && read > 0,
                "the seeds hardly used leases: " + granted + " granted, " + revoked + " revoked, " + expired
                        + " expired, " + read + " read back");
    }
}
