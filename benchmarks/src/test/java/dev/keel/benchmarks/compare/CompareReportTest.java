package dev.keel.benchmarks.compare;

import dev.keel.benchmarks.load.LoadResult;
import dev.keel.benchmarks.node.LocalCluster.Kind;
import dev.keel.node.disk.FsyncProbe;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparison's Markdown, its targets' verdicts, its plots and its flags, from made-up results. */
class CompareReportTest {
    @TempDir
    Path dir;

    private static Results.Measured measured(Scenario s, long ops, long micros) {
        Histogram h = new Histogram(3);
        h.recordValueWithCount(micros * 1000, ops - 1);
        h.recordValue(micros * 4000); // the tail: one sample 4× slower
        return new Results.Measured(new LoadResult(s.workload, ops, 10.0, h, Map.of(), Map.of()), ops * 0.5);
    }

    private Results results() {
        Results r = new Results();
        for (Scenario s : Scenario.values()) {
            if (s.isLoad()) {
                r.add(s, Kind.KEEL, measured(s, 30_000, 1_000)); // 3,000 ops/s, p50 1 ms
                r.add(s, Kind.ETCD, measured(s, 10_000, 2_000)); // 1,000 ops/s, p50 2 ms
            }
        }
        r.memory(Kind.KEEL, new MemoryProbe.Result(1_000_000, Duration.ofSeconds(9),
                List.of(new MemoryProbe.Member(1, 900 * 1024, 950 * 1024))));
        r.memory(Kind.ETCD, new MemoryProbe.Result(1_000_000, Duration.ofSeconds(3),
                List.of(new MemoryProbe.Member(2, 600 * 1024, 700 * 1024))));
        return r;
    }

    private CompareReport report(Results r) {
        CompareOptions o = CompareOptions.parse(new String[] {"--repo", dir.toString()});
        return new CompareReport(o, new FsyncProbe.Result(100, 4096, 400, 900, 1200, 450.0), r, "Measured now.");
    }

    @Test
    void sideBySideWithRatiosAndVerdicts() {
        String body = report(results()).body();
        assertTrue(body.contains("| put, 64 clients | 3,000 | 1,000 | **3.00×** | 0 / 0 | 0.500 / 0.500 |"), body);
        assertTrue(body.contains("| put, 1 client | 1,000 µs / 2,001 µs (0.50×) |"), body);
        assertTrue(body.contains("| `VmRSS` after writing | 900 MiB | 600 MiB | **1.50×** |"), body);
        // put-64: 3× the throughput but p99 0.5× exactly: met; the ranges: 3×: met
        assertTrue(body.contains("throughput 3.00×, p99 0.50× | **met** |"), body);
        assertTrue(body.contains("range linearizable, 64 clients: throughput ≥ 2× etcd's | 3.00× | **met** |"), body);
        // 1,000 µs = 2.5 × 400 µs: not met; watch p99 0.5×: met; memory 1.5×: not met
        assertTrue(body.contains("1,000 µs = 2.5× fsync (etcd 5.0×) | **not met** |"), body);
        assertTrue(body.contains("= 0.50× | **met** |"), body);
        assertTrue(body.contains("900 vs 600 MiB = 1.50× | **not met** |"), body);
        assertTrue(body.contains("[put-64](benchmarks/compare-put-64.png)"), body);
    }

    @Test
    void aMissingSystemIsNotMeasuredAndNeverMet() {
        Results r = new Results();
        r.add(Scenario.PUT_64, Kind.KEEL, measured(Scenario.PUT_64, 100, 10));
        String body = report(r).body();
        assertTrue(body.contains("| put, 64 clients | 10 | — | **—** |"), body);
        assertEquals(6, body.split("\\*\\*not measured\\*\\*", -1).length - 1, body);
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void theBlockIsReplacedAndThePlotsWritten() throws IOException {
        Path doc = dir.resolve("docs/benchmarks.md");
        Files.createDirectories(doc.getParent());
        Files.writeString(doc, "# Benchmarks\n\nbefore\n");
        CompareReport report = report(results());
        report.writeDoc();
        report.writeDoc();
        String text = Files.readString(doc);
        assertEquals(1, text.split("compare:begin", -1).length - 1, text);
        assertTrue(text.startsWith("# Benchmarks\n\nbefore\n\n## Keel vs etcd, workload by workload\n\n"), text);
        report.writePlots();
        byte[] png = Files.readAllBytes(dir.resolve("docs/benchmarks/compare-watch-64x100.png"));
        assertTrue(png.length > 1_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aLongTailedDistributionPlotsInTime() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        Histogram keel = new Histogram(3);
        Histogram etcd = new Histogram(3);
        for (int i = 0; i < 200_000; i++) { // log-uniform from 1 µs to 4 s, like a run with a stall
            keel.recordValue((long) Math.pow(10, 3 + 6.6 * random.nextDouble()));
            etcd.recordValue((long) Math.pow(10, 4 + 4 * random.nextDouble()));
        }
        Path png = dir.resolve("tail.png");
        PercentilePlot.write(png, "tail", new java.util.LinkedHashMap<>(Map.of("Keel", keel, "etcd", etcd)));
        assertTrue(Files.size(png) > 1_000);
    }

    @Test
    void flags() {
        CompareOptions quick = CompareOptions.parse(new String[] {"--quick", "--no-doc", "--systems", "keel"});
        assertEquals(1, quick.rounds());
        assertEquals(null, quick.doc());
        assertEquals(List.of(Kind.KEEL), quick.systems());
        assertEquals(10_000, quick.memoryKeys());
        CompareOptions some = CompareOptions.parse(new String[] {"--workloads", "put-1,memory", "--rounds", "3"});
        assertEquals(List.of(Scenario.PUT_1, Scenario.MEMORY), some.scenarios());
        assertEquals(Scenario.values().length, CompareOptions.parse(new String[0]).scenarios().size());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CompareOptions.parse(new String[] {
                "--workloads", "put-2"})).getMessage().contains("unknown workload 'put-2'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CompareOptions.parse(new String[] {
                "--systems", "zk"})).getMessage().contains("--systems"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CompareOptions.parse(new String[] {
                "--rounds", "0"})).getMessage().contains("--rounds must be 1..20"));
    }

    @Test
    void helpPrintsTheUsageAndBadFlagsExit64() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, KeelCompare.run(new String[] {"--help"}, out));
        assertTrue(bytes.toString(java.nio.charset.StandardCharsets.UTF_8).startsWith("usage: keel-compare"));
        bytes.reset();
        assertEquals(64, KeelCompare.run(new String[] {"--rounds"}, out));
        assertTrue(bytes.toString(java.nio.charset.StandardCharsets.UTF_8).contains("--rounds needs a value"));
    }
}
