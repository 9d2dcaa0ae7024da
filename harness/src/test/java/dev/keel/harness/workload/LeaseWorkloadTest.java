package dev.keel.harness.workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseWorkloadTest {
    @Test
    void passesOnAHealthyClusterAndWritesItsHistory(@TempDir Path dir) throws Exception {
        WorkloadResult result = RealClusterRun.run(new LeaseWorkload(), 5_000, dir);
        assertEquals(WorkloadResult.Outcome.PASS, result.outcome(), result.headline());
        assertTrue(result.ok() > 40, "ok operations: " + result.ok());
        String history = Files.readString(dir.resolve("lease.edn"));
        for (String f : new String[] {":grant", ":put", ":keepalive", ":revoke", ":read"}) {
            assertTrue(history.contains(":f " + f), "the history has " + f);
        }
    }
}
