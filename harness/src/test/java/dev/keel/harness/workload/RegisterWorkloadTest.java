package dev.keel.harness.workload;

import dev.keel.harness.client.Recorder;
import dev.keel.harness.run.RunClock;
import dev.keel.linearizability.cli.KeelCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegisterWorkloadTest {
    @Test
    @Timeout(40)
    void aHealthyClusterPassesAndKeelCheckAgreesOnTheFile(@TempDir Path dir) throws Exception {
        ClusterRun run = new ClusterRun(3, 1_000);
        WorkloadResult result = run.run(new RegisterWorkload(), Duration.ofSeconds(5), dir);
        assertTrue(run.stopMillis <= run.opTimeoutMillis + ClientPool.STOP_SLACK_MILLIS,
                "stop took " + run.stopMillis + " ms");
        assertEquals(WorkloadResult.Outcome.PASS, result.outcome(), result.headline() + " " + run.log);
        assertTrue(result.ok() > 150, "only " + result.ok() + " ok operations: " + result.headline());
        assertTrue(result.headline().endsWith("on 5 keys are linearizable as independent cas-registers"),
                result.headline());
        Path history = dir.resolve("register.edn");
        assertEquals(List.of(history), result.files());
        String edn = Files.readString(history);
        assertTrue(edn.contains(":f :cas") && edn.contains(":f :write") && edn.contains(":f :read"), edn);
        StringWriter out = new StringWriter();
        int exit = KeelCheck.run(new String[] {"--model", "cas-register", "--independent", history.toString()},
                new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertEquals(0, exit, out.toString());
    }

    @Test
    void aStaleReadIsReportedAsFailWithTheReportWritten(@TempDir Path dir) throws Exception {
        Recorder history = new Recorder(new RunClock(), 2);
        Recorder.Process writer = history.process(0);
        recordWrite(history, writer, 3L, 1L);
        recordWrite(history, writer, 3L, 2L);
        history.ok(history.invoke(history.process(1), "read", Arrays.asList(3L, null)), List.of(3L, 1L));
        WorkloadResult result = new RegisterWorkload().check(history, dir);
        assertEquals(WorkloadResult.Outcome.FAIL, result.outcome());
        assertTrue(result.headline().startsWith("read of key 3 returned 1 at +"), result.headline());
        assertEquals(List.of(dir.resolve("register.edn"), dir.resolve("register.html")), result.files());
        assertTrue(Files.readString(dir.resolve("register.html")).contains("Not linearizable"));
        assertEquals(3, result.ok());
    }

    private static void recordWrite(Recorder history, Recorder.Process process, long key, long value) {
        history.ok(history.invoke(process, "write", List.of(key, value)), List.of(key, value));
    }
}
