package dev.keel.benchmarks.load;

import dev.keel.node.KeelCluster;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every workload for about a second against a one-member Keel in this JVM, and the command's exits. */
class KeelBenchTest {
    private static KeelCluster cluster;
    private static List<String> endpoints;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        cluster = KeelCluster.builder().members(1).start();
        endpoints = List.of(cluster.endpoints().split(","));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static LoadResult run(LoadOptions o) throws InterruptedException {
        try (Connections c = new Connections(o.endpoints(), o.conns(), o.timeoutMillis())) {
            return LoadRun.run(o, c, Ticker.SYSTEM, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8));
        }
    }

    private static LoadOptions options(Workload w, int clients, double rate) {
        return LoadOptions.defaults(w).withEndpoints(endpoints).with(w, clients, 2, rate, Duration.ofMillis(200),
                Duration.ofSeconds(1)).withShape(4, false, 0.5, 100).withOutput(null, 0);
    }

    private static void assertSane(LoadResult r) {
        assertTrue(r.ops() > 0, r.workload() + " did nothing: " + r.text());
        assertEquals(0, r.errorCount(), r.text());
        assertEquals(0L, r.counters().getOrDefault(Dispatcher.UNANSWERED, 0L), r.text());
        double last = 0;
        for (double p : LoadResult.PERCENTILES) {
            assertTrue(r.micros(p) >= last, "percentiles in order: " + r.text());
            last = r.micros(p);
        }
        assertTrue(r.maxMicros() >= last, r.text());
    }

    @Test
    void everyWorkloadRunsWithoutErrors() throws InterruptedException {
        for (Workload w : Workload.values()) {
            LoadResult r = run(options(w, 4, 0));
            assertSane(r);
            if (w == Workload.WATCH) {
                assertEquals(r.counters().get(WatchLoad.PUTS) * 4, r.ops(), "one delivery per put and watcher");
                assertEquals(0L, r.counters().getOrDefault(WatchLoad.MISSED, 0L));
            }
            if (w == Workload.TXN_CAS) {
                assertEquals(r.ops(), r.counters().getOrDefault(KvOperations.CAS_SUCCEEDED, 0L)
                        + r.counters().getOrDefault(KvOperations.CAS_FAILED, 0L));
            }
        }
    }

    @Test
    void serializableRangesAndAnOpenLoopWithItsIntervalLog() throws Exception {
        assertSane(run(options(Workload.RANGE, 2, 0).withShape(4, true, 0.5, 100)));
        Path hlog = dir.resolve("put.hlog");
        LoadResult r = run(options(Workload.PUT, 8, 100).withOutput(hlog, 0));
        assertSane(r);
        // 100 puts are due in the measured second: each is answered or counted as never sent (a slow machine).
        long scheduled = r.ops() + r.counters().getOrDefault(Dispatcher.UNSENT, 0L);
        assertTrue(scheduled >= 99 && scheduled <= 101, "100 puts due at 100/s in 1 s: " + r.text());
        HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        long logged = 0;
        for (Histogram h = (Histogram) reader.nextIntervalHistogram(); h != null;
             h = (Histogram) reader.nextIntervalHistogram()) {
            logged += h.getTotalCount();
        }
        reader.close();
        assertEquals(r.ops(), logged, "the interval log holds every measured latency");
    }

    @Test
    void theCommandPrintsJsonAndExitsClearly() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        KeelBench.Exit exit = KeelBench.run(new String[] {"put", "--endpoints", String.join(",", endpoints),
                "--to-leader", "--total", "50", "--warmup", "0", "--format", "json", "--progress", "0"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(KeelBench.Exit.OK, exit, err.toString(StandardCharsets.UTF_8));
        String json = out.toString(StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"workload\":\"put\",\"ops\":50,"), json);
        assertTrue(json.contains("\"errors\":{}"), json);

        assertEquals(KeelBench.Exit.USAGE, KeelBench.run(new String[] {"put", "--clients", "-1"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        int unused = KeelCluster.freePorts(1)[0];
        err.reset();
        assertEquals(KeelBench.Exit.UNAVAILABLE, KeelBench.run(new String[] {"put", "--endpoints",
                "127.0.0.1:" + unused}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        String line = err.toString(StandardCharsets.UTF_8).strip();
        assertTrue(line.contains("does not answer") && line.contains("bin/keel-cluster start 3"), line);
        assertEquals(1, line.lines().count(), line);
    }
}
