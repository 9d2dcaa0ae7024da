package dev.keel.simulator;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WAL pairing check compares a restarted member's recovered log with what its replica had made durable
 * before the crash. This seed crashes member 1 while its disk is full and a leader's snapshot waits, unwritten,
 * in its batch: the kernel already counts that snapshot as persisted, the replica does not (nothing of it was
 * written or acknowledged), so recovery rightly returns the older log and the run must pass.
 */
class WalPairingSeedTest {

    @Test
    void aCrashWhileALeadersSnapshotWaitsForSpaceLosesNothingDurable() {
        SimConfig config = new SimConfig(0x8de43e2adc1b0db6L, 3, 30, EnumSet.allOf(FaultKind.class));
        SimResult result = new Simulation(config).run();
        assertTrue(result.passed(), result.failedCheck() + ": " + result.detail());
    }
}
