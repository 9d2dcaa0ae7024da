package dev.keel.harness.run;

import dev.keel.harness.cluster.FaketimeClocks;
import dev.keel.harness.nemesis.FaultKind;
import dev.keel.harness.workload.WorkloadResult.Outcome;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Proof that the harness finds bugs in real processes. Members are started with one of the kernel's deliberate
 * bugs, reachable only through the kernel's test jar ({@link BuggyKeel}); the register workload runs under a
 * schedule of partitions drawn from a seed, and its checker must report the stale read, naming the seed. Real
 * processes are not deterministic, so, as the simulator's bug hunt does, each bug gets a bounded number of runs
 * (seeds {@code SEED}, {@code SEED + 1}, ...) and must be caught within them; it usually is in the first.
 * Many clients with short deadlines: a client whose write is stuck on the cut-off side gives up soon and reads
 * again.
 */
class BugFindingTest {
    private static final long SEED = 0xb06L;
    private static final int MAX_RUNS = 3;
    private static final long FAULT_MILLIS = 30_000;

    /**
     * Linearizable reads answered from the member's own log without asking the leader ({@code local-read}, the
     * bug of serving "linearizable" reads locally): a member cut off by a partition serves values the majority
     * has overwritten.
     */
    @Test
    void staleLocalReadsAreCaught() {
        hunt("local-read", EnumSet.of(FaultKind.MAJORITY_MINORITY, FaultKind.ISOLATE_LEADER));
    }

    /**
     * Leaders that answer ReadIndex without the heartbeat round that proves they still lead
     * ({@code read-index-without-round}). A cut-off leader steps down an election timeout after it stops hearing
     * from the majority, about when the majority elects another, so plain isolations rarely overlap the two;
     * with its clock slowed as well ({@code isolate-slow-leader}, libfaketime) it leads on for seconds while the
     * new leader takes writes, and serves them stale.
     */
    @Test
    void staleReadsOfACutOffSlowLeaderAreCaught() {
        Path probe = TortureRuns.runDir("faketime-probe");
        FaketimeClocks clocks = new FaketimeClocks(probe);
        if (!clocks.supported()) {
            assertFalse("true".equals(System.getenv("CI")), "CI needs libfaketime: " + clocks.unsupportedReason());
            Assumptions.abort(clocks.unsupportedReason());
        }
        hunt("read-index-without-round", EnumSet.of(FaultKind.ISOLATE_SLOW_LEADER));
    }

    private static void hunt(String bug, Set<FaultKind> faults) {
        StringBuilder missed = new StringBuilder();
        for (int run = 0; run < MAX_RUNS; run++) {
            TortureOptions options = TortureRuns.options(SEED + run, FAULT_MILLIS, List.of("register"), faults, 8,
                    500, BuggyKeel.launcher(bug), "bug-" + bug);
            RunSummary summary = new TortureRun(options, System.out).run();
            System.out.print(summary.table());
            if (summary.outcome() == Outcome.FAIL) {
                System.out.println("bug " + bug + " caught by run " + (run + 1) + " of at most " + MAX_RUNS);
                assertEquals(RunSummary.EXIT_VIOLATION, summary.exitCode());
                assertTrue(summary.table().contains("--seed " + options.seedText()), summary.table());
                assertTrue(Files.isRegularFile(options.dir().resolve("register.html")),
                        "no report in " + options.dir());
                return;
            }
            missed.append(summary.table());
        }
        fail("bug " + bug + " was not caught in " + MAX_RUNS + " runs of " + FAULT_MILLIS / 1000 + " s:\n" + missed);
    }
}
