package dev.keel.harness.workload;

import dev.keel.harness.workload.watch.AckedChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchWorkloadTest {
    @Test
    void passesOnAHealthyClusterAndWritesItsFiles(@TempDir Path dir) throws Exception {
        WorkloadResult result = new ClusterRun(4, 2_000).run(new WatchWorkload(), Duration.ofSeconds(5), dir);
        assertEquals(WorkloadResult.Outcome.PASS, result.outcome(), result.headline());
        assertTrue(result.ok() > 50, "ok puts: " + result.ok());
        String events = Files.readString(dir.resolve("watch-events.edn"));
        assertTrue(events.contains(":watcher \"reference\""), "the reference watcher's events are recorded");
        assertTrue(Files.readString(dir.resolve("watch.edn")).contains(":f :put"));
    }

    @Test
    void reportsAnAcknowledgedWriteNoWatcherSawAsFail(@TempDir Path dir) throws Exception {
        WatchWorkload workload = new WatchWorkload();
        assertEquals(WorkloadResult.Outcome.PASS, new ClusterRun(4, 2_000).run(workload, Duration.ofSeconds(2), dir).outcome());
        // As if a put had been acknowledged at revision 2, which nobody wrote under the prefix.
        workload.acknowledge(new AckedChange(WatchWorkload.PREFIX + "ghost", "PUT", "boo", 2, 1_000_000_000L));
        WorkloadResult again = workload.check(dir);
        assertEquals(WorkloadResult.Outcome.FAIL, again.outcome(), again.headline());
        assertTrue(again.headline().startsWith("The acknowledged PUT /torture/watch/ghost=boo@2"), again.headline());
    }
}
