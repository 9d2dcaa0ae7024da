package dev.keel.linearizability.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress lines: asked for after 3 s and then every 5 s, printed on stderr only, off with --quiet. A scheduler
 * that fires when started and when stopped stands in for the clock, so no test waits.
 */
class KeelCheckProgressTest {
    @TempDir
    Path temp;

    /** Fires the task as soon as it is scheduled and once more when stopped; records what was asked for. */
    static final class FiringScheduler implements Progress.Scheduler {
        final List<Duration> asked = new ArrayList<>();
        int stopped;

        @Override
        public AutoCloseable every(Duration first, Duration period, Runnable task) {
            asked.add(first);
            asked.add(period);
            task.run();
            return () -> {
                task.run();
                stopped++;
            };
        }
    }

    @Test
    void aSingleHistoryReportsReadingAndCheckingOnStderrOnly() throws IOException {
        Path history = temp.resolve("kv.edn");
        Files.copy(Path.of(KeelCheckTest.sample("kv-linearizable.edn")), history);
        FiringScheduler scheduler = new FiringScheduler();
        Run run = run(scheduler, "--model", "kv", history.toString());
        assertEquals(0, run.code, run.out + run.err);
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(5)), scheduler.asked);
        assertEquals(1, scheduler.stopped);
        List<String> lines = run.err.strip().lines().toList();
        assertEquals(2, lines.size(), run.err);
        assertTrue(lines.get(0).matches("keel-check: read 0 events; \\d+\\.\\d s"), lines.get(0));
        assertTrue(lines.get(1).matches("keel-check: checking 8 operations: decided 2 of 2 keys; search caches \\d+"
                + " MiB; \\d+\\.\\d s"), lines.get(1));
        assertFalse(run.out.contains("keel-check:"), run.out);
        assertTrue(run.out.endsWith("linearizable\n"), run.out);
    }

    @Test
    void aBatchReportsHistoriesDone() throws IOException {
        Path a = temp.resolve("a.edn");
        Files.writeString(a, KeelCheckBatchTest.LINEARIZABLE);
        FiringScheduler scheduler = new FiringScheduler();
        Run run = run(scheduler, a.toString(), a.toString());
        assertEquals(0, run.code, run.out + run.err);
        List<String> lines = run.err.strip().lines().toList();
        assertEquals(2, lines.size(), run.err);
        assertTrue(lines.get(0).matches("keel-check: 0 of 2 histories done; \\d+\\.\\d s"), lines.get(0));
        assertTrue(lines.get(1).matches("keel-check: 2 of 2 histories done; \\d+\\.\\d s"), lines.get(1));
        assertFalse(run.out.contains("keel-check:"), run.out);
    }

    @Test
    void quietMeansNoProgressAtAll() {
        FiringScheduler scheduler = new FiringScheduler();
        Run run = run(scheduler, "--quiet", "--model", "kv", KeelCheckTest.sample("kv-linearizable.edn"));
        assertEquals(0, run.code, run.out + run.err);
        assertTrue(scheduler.asked.isEmpty());
        assertEquals("", run.err);
    }

    private static Run run(Progress.Scheduler scheduler, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KeelCheck.run(args, new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true), scheduler);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
    }
}
