package dev.keel.harness.workload;

import dev.keel.harness.client.Recorder;
import dev.keel.harness.run.RunClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SetWorkloadTest {
    @Test
    @Timeout(40)
    void aHealthyClusterKeepsEveryAcknowledgedAdd(@TempDir Path dir) throws Exception {
        ClusterRun run = new ClusterRun(3, 1_000);
        WorkloadResult result = run.run(new SetWorkload(), Duration.ofSeconds(5), dir);
        assertTrue(run.stopMillis <= run.opTimeoutMillis + ClientPool.STOP_SLACK_MILLIS,
                "stop took " + run.stopMillis + " ms");
        assertEquals(WorkloadResult.Outcome.PASS, result.outcome(), result.headline() + " " + run.log);
        assertTrue(result.ok() > 150, "only " + result.ok() + " ok operations: " + result.headline());
        assertTrue(result.headline().matches("all \\d+ acknowledged adds present in the final read .*"),
                result.headline());
        assertEquals(List.of(dir.resolve("set.edn"), dir.resolve("set-check.edn")), result.files());
        String edn = Files.readString(dir.resolve("set.edn"));
        assertTrue(edn.contains(":f :add") && edn.contains(":type :ok, :f :read, :value #{"), edn.lines().reduce(
                (a, b) -> b).orElse(""));
        assertTrue(Files.readString(dir.resolve("set-check.edn")).startsWith("{:valid? true"));
    }

    @Test
    void aLostAddIsReportedAsFail(@TempDir Path dir) {
        Recorder history = new Recorder(new RunClock(), 2);
        history.ok(history.invoke(history.process(0), "add", 0L), 0L);
        history.ok(history.invoke(history.process(0), "add", 2L), 2L);
        history.ok(history.invoke(history.process(1), "read", null), new TreeSet<>(List.of(2L)));
        WorkloadResult result = new SetWorkload().check(history, dir);
        assertEquals(WorkloadResult.Outcome.FAIL, result.outcome());
        assertTrue(result.headline().startsWith("add of 0 was acknowledged at +"), result.headline());
        assertTrue(Files.exists(dir.resolve("set-check.edn")));
    }
}
