package dev.keel.harness.workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchWorkloadTest {
    @Test
    void passesOnAHealthyClusterAndWritesItsFiles(@TempDir Path dir) throws Exception {
        WorkloadResult result = RealClusterRun.run(new WatchWorkload(), 5_000, dir);
        assertEquals(WorkloadResult.Outcome.PASS, result.outcome(), result.headline());
        assertTrue(result.ok() > 50, "ok puts: " + result.ok());
        String events = Files.readString(dir.resolve("watch-events.edn"));
        assertTrue(events.contains(":watcher \"reference\""), "the reference watcher's events are recorded");
        assertTrue(Files.readString(dir.resolve("watch.edn")).contains(":f :put"));
    }
}
