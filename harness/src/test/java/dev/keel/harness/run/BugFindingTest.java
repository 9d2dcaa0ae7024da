package dev.keel.harness.run;

import dev.keel.harness.nemesis.FaultFamily;
import dev.keel.harness.nemesis.FaultKind;
import dev.keel.harness.workload.WorkloadResult;
import dev.keel.harness.workload.WorkloadResult.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proof that the harness finds bugs in real processes: members that answer linearizable reads from their own log
 * without asking the leader (the kernel's {@code local-read} hazard, reachable only through the kernel's test jar
 * — the bug of serving "linearizable" reads locally). A follower cut off by a partition, or merely behind, serves
 * values the majority has overwritten, and the register checker must report the stale read, with the seed of the
 * fault schedule.
 */
class BugFindingTest {
    private static final long SEED = 0xb06L;

    @Test
    void staleLocalReadsAreCaught() throws Exception {
        TortureOptions options = TortureRuns.options(SEED, 30_000, List.of("register"),
                FaultKind.of(EnumSet.of(FaultFamily.PARTITION)), 4, BuggyKeel.launcher("local-read"), "bug");
        RunSummary summary = new TortureRun(options, System.out).run();
        System.out.print(summary.table());
        WorkloadResult register = summary.results().get(0);
        assertEquals(Outcome.FAIL, register.outcome(), summary.table());
        assertEquals(RunSummary.EXIT_VIOLATION, summary.exitCode());
        assertTrue(summary.table().contains("--seed " + options.seedText()), summary.table());
        assertTrue(Files.isRegularFile(options.dir().resolve("register.html")), "no report in " + options.dir());
    }
}
