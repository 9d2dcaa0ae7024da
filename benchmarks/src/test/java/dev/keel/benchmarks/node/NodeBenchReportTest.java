package dev.keel.benchmarks.node;

import dev.keel.benchmarks.node.LocalCluster.Kind;
import dev.keel.benchmarks.node.NodeVsEtcd.Scenario;
import dev.keel.node.disk.FsyncProbe;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's Markdown and how it refreshes its block in the doc; the flags of the command. */
class NodeBenchReportTest {
    @TempDir
    Path dir;

    @Test
    void theBlockIsAppendedOnceThenReplacedKeepingTheTextAround() throws IOException {
        Path doc = dir.resolve("benchmarks.md");
        Files.writeString(doc, "# Benchmarks\n\n## Raft kernel\n\nkernel figures\n");
        NodeBenchReport first = report(1_000, 2_000);
        first.writeInto(doc);
        String once = Files.readString(doc);
        assertTrue(once.startsWith("# Benchmarks\n\n## Raft kernel\n\nkernel figures\n\n## Node vs etcd\n\n"));
        assertTrue(once.contains("| 1 member | 1,000 µs | 2,001 µs | **0.50×** |"), once);
        assertTrue(once.contains("| 0.500 / 1.000 (0.50×) |"), once);
        assertTrue(once.contains("| members' CPU per put (all members) | 0.500 ms | 1.000 ms | 0.50× |"), once);
        assertTrue(once.contains("Keel's p50 is 1,000 µs = **2.00× fsync, met**; etcd's is 3.99× fsync"), once);

        String withAnalysis = once + "\n### Where the time goes\n\nhand-written\n";
        Files.writeString(doc, withAnalysis);
        report(3_000, 1_500).writeInto(doc);
        String twice = Files.readString(doc);
        assertEquals(1, count(twice, NodeBenchReport.BEGIN));
        assertEquals(1, count(twice, "## Node vs etcd"));
        assertTrue(twice.contains("| 1 member | 3,000 µs | 1,500 µs | **2.00×** |"), twice);
        assertFalse(twice.contains("| 1 member | 1,000 µs"), twice);
        assertTrue(twice.endsWith("### Where the time goes\n\nhand-written\n"), twice);
        assertTrue(twice.contains("**5.99× fsync, not met**"), twice);
    }

    @Test
    void flagsDefaultSensiblyAndBadOnesSayWhy() {
        BenchOptions o = BenchOptions.parse(new String[] {"--repo", dir.toString(), "--rounds", "3"});
        assertEquals(3, o.rounds());
        assertEquals(64, o.outstanding());
        assertEquals(dir.resolve("docs/benchmarks.md"), o.doc());
        assertEquals(null, BenchOptions.parse(new String[] {"--no-doc"}).doc());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--rounds",
                "0"})).getMessage().contains("--rounds must be 1..20"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--measure",
                "x"})).getMessage().contains("whole number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--bogus",
                "1"})).getMessage().contains("unknown flag --bogus"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--keel-port"}));
    }

    private NodeBenchReport report(long keelMicros, long etcdMicros) {
        BenchOptions options = BenchOptions.parse(new String[] {"--repo", dir.toString()});
        FsyncProbe.Result fsync = new FsyncProbe.Result(100, 4096, 501, 900, 1200, 520.0);
        Map<Scenario, Map<Kind, PutLoad.Result>> results = new EnumMap<>(Scenario.class);
        for (Scenario s : Scenario.values()) {
            Map<Kind, PutLoad.Result> byKind = new EnumMap<>(Kind.class);
            byKind.put(Kind.KEEL, result(keelMicros));
            byKind.put(Kind.ETCD, result(etcdMicros));
            results.put(s, byKind);
        }
        return new NodeBenchReport(options, fsync, results, "0.10 0.20 0.30", "0.40 0.50 0.60");
    }

    private static PutLoad.Result result(long micros) {
        Histogram h = new Histogram(3);
        h.recordValueWithCount(micros * 1000, 1000);
        return new PutLoad.Result(1000, 10.0, 0, h, micros / 2.0); // CPU: half the latency, per put
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
