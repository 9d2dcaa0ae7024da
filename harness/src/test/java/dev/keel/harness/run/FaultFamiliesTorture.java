package dev.keel.harness.run;

import dev.keel.harness.nemesis.FaultFamily;
import dev.keel.harness.nemesis.FaultKind;
import dev.keel.harness.workload.WorkloadResult.Outcome;
import dev.keel.harness.workload.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The long torture suite (after {@code mvn -B -q install -DskipTests}: {@code mvn -B verify -Ptorture -pl
 * harness}): every workload under each fault family alone, for {@code keel.torture.seconds} (default 120)
 * each, then all families together. Seeds come from {@code keel.torture.seed} (default: drawn, printed in each
 * summary).
 */
class FaultFamiliesTorture {
    private static long seconds() {
        return Long.getLong("keel.torture.seconds", 120);
    }

    private static long seed(FaultFamily family) {
        String configured = System.getProperty("keel.torture.seed");
        long base = configured == null || configured.isBlank() ? System.nanoTime() : TortureMain.parseSeed(configured);
        return base ^ family.ordinal();
    }

    @ParameterizedTest
    @EnumSource(FaultFamily.class)
    void everyWorkloadUnder(FaultFamily family) {
        TortureOptions options = TortureRuns.options(seed(family), seconds() * 1000, Workloads.NAMES,
                FaultKind.of(EnumSet.of(family)), 3, TortureRuns.defaultLauncher(), family.flagName());
        RunSummary summary = new TortureRun(options, System.out).run();
        System.out.print(summary.table());
        assertEquals(Outcome.PASS, summary.outcome(), summary.table());
    }

    @Test
    void everyWorkloadUnderEveryFamilyAtOnce() {
        TortureOptions options = TortureRuns.options(seed(FaultFamily.CLOCK) ^ 0xa11, seconds() * 1000,
                Workloads.NAMES, EnumSet.allOf(FaultKind.class), 3, TortureRuns.defaultLauncher(), "all");
        RunSummary summary = new TortureRun(options, System.out).run();
        System.out.print(summary.table());
        assertEquals(Outcome.PASS, summary.outcome(), summary.table());
    }
}
