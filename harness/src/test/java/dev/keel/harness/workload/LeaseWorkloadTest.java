package dev.keel.harness.workload;

import dev.keel.harness.workload.lease.LeaseOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseWorkloadTest {
    @Test
    void passesOnAHealthyClusterThenFailsAFabricatedStaleRead(@TempDir Path dir) throws Exception {
        LeaseWorkload workload = new LeaseWorkload();
        WorkloadResult result = new ClusterRun(4, 2_000).run(workload, Duration.ofSeconds(5), dir);
        assertEquals(WorkloadResult.Outcome.PASS, result.outcome(), result.headline());
        assertTrue(result.ok() > 40, "ok operations: " + result.ok());
        String history = Files.readString(dir.resolve("lease.edn"));
        for (String f : new String[] {":grant", ":put", ":keepalive", ":revoke", ":read"}) {
            assertTrue(history.contains(":f " + f), "the history has " + f);
        }
        // As if a read after the first completed revoke had still returned that lease's key.
        LeaseOp revoke = workload.operations().stream().filter(o -> o.kind() == LeaseOp.Kind.REVOKE).findFirst()
                .orElseThrow();
        workload.observe(LeaseOp.read(0, revoke.completeNanos() + 1, revoke.completeNanos() + 2,
                Set.of(revoke.leaseId())));
        WorkloadResult again = workload.check(dir);
        assertEquals(WorkloadResult.Outcome.FAIL, again.outcome(), again.headline());
        assertTrue(again.headline().contains("but its lease had been revoked"), again.headline());
    }
}
