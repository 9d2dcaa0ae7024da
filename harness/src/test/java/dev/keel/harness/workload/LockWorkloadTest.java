package dev.keel.harness.workload;

import dev.keel.harness.workload.lock.FencedWrite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LockWorkloadTest {
    @Test
    void passesOnAHealthyClusterAndWritesItsHistory(@TempDir Path dir) throws Exception {
        WorkloadResult result = new ClusterRun(4, 2_000).run(new LockWorkload(), Duration.ofSeconds(5), dir);
        assertEquals(WorkloadResult.Outcome.PASS, result.outcome(), result.headline());
        assertTrue(result.ok() > 15, "ok operations: " + result.ok());
        String history = Files.readString(dir.resolve("lock.edn"));
        for (String f : new String[] {":acquire", ":write", ":release"}) {
            assertTrue(history.contains(":f " + f), "the history has " + f);
        }
    }

    @Test
    void reportsAnAcknowledgedWriteMissingFromTheRegisterAsFail(@TempDir Path dir) throws Exception {
        LockWorkload workload = new LockWorkload();
        assertEquals(WorkloadResult.Outcome.PASS, new ClusterRun(4, 2_000).run(workload, Duration.ofSeconds(2), dir).outcome());
        workload.acknowledge(new FencedWrite(9, 1, 1, 1));
        WorkloadResult again = workload.check(dir);
        assertEquals(WorkloadResult.Outcome.FAIL, again.outcome(), again.headline());
        assertEquals("The acknowledged fenced write c9:1:1 at revision 1 (token 1) is missing from the register's "
                + "history.", again.headline());
    }
}
