package dev.keel.harness.run;

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
 * Proof that the harness finds bugs in real processes: members whose leaders answer linearizable reads without
 * the heartbeat round that proves they still lead (the kernel's {@code read-index-without-round} hazard, reachable
 * only through the kernel's test jar). The cut-off leader keeps leading until its check-quorum round fails, up to
 * an election timeout after the majority elected another: stale reads happen only in that window, so the run
 * uses many clients with short deadlines (a client stuck on the old leader's uncommittable write gives up soon
 * and reads again). Under partitions a cut-off leader keeps serving reads while the majority
 * elects another and moves on (the schedule, drawn from the seed, isolates the leader again and again), and the register checker must report the stale read, with the seed.
 */
class BugFindingTest {
    private static final long SEED = 0xb06L;

    @Test
    void staleReadsOfAPartitionedLeaderAreCaught() throws Exception {
        TortureOptions options = TortureRuns.options(SEED, 40_000, List.of("register"),
                EnumSet.of(FaultKind.ISOLATE_LEADER), 8, 500, BuggyKeel.launcher("read-index-without-round"), "bug");
        RunSummary summary = new TortureRun(options, System.out).run();
        System.out.print(summary.table());
        WorkloadResult register = summary.results().get(0);
        assertEquals(Outcome.FAIL, register.outcome(), summary.table());
        assertEquals(RunSummary.EXIT_VIOLATION, summary.exitCode());
        assertTrue(summary.table().contains("--seed " + options.seedText()), summary.table());
        assertTrue(Files.isRegularFile(options.dir().resolve("register.html")), "no report in " + options.dir());
    }
}
