package dev.keel.harness.run;

import dev.keel.harness.nemesis.FaultFamily;
import dev.keel.harness.nemesis.FaultKind;
import dev.keel.harness.workload.WorkloadResult;
import dev.keel.harness.workload.WorkloadResult.Outcome;
import dev.keel.harness.workload.Workloads;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default build's torture run: three real members, every workload at once, about forty seconds of
 * partitions, kills, pauses, slow links and leader transfers drawn from a fixed seed. Every checker must pass and
 * the run's folder must hold what a reader needs.
 */
class TortureShortRunTest {
    private static final long SEED = 0x5eed13L;

    @Test
    void everyWorkloadPassesUnderFaults() throws Exception {
        TortureOptions options = TortureRuns.options(SEED, 40_000, Workloads.NAMES,
                FaultKind.of(EnumSet.of(FaultFamily.PARTITION, FaultFamily.KILL, FaultFamily.PAUSE,
                        FaultFamily.NETWORK, FaultFamily.LEADER_TRANSFER)), 2, TortureRuns.defaultLauncher(), "short");
        RunSummary summary = new TortureRun(options, System.out).run();
        System.out.print(summary.table());
        assertEquals(Outcome.PASS, summary.outcome(), summary.table());
        assertTrue(summary.faults() >= 4, "only " + summary.faults() + " faults ran\n" + summary.table());
        for (WorkloadResult r : summary.results()) {
            assertTrue(r.ok() >= 10, r.workload() + " completed only " + r.ok() + " operations\n" + summary.table());
            assertTrue(Files.isRegularFile(options.dir().resolve(r.workload() + ".edn")), r.workload() + ".edn");
        }
        for (String file : new String[] {"summary.txt", "index.html", "schedule.txt", "nemesis.edn", "harness.log", "n1.log"}) {
            assertTrue(Files.isRegularFile(options.dir().resolve(file)), file + " missing in " + options.dir());
        }
    }
}
