package dev.keel.benchmarks.node;

import dev.keel.benchmarks.node.LocalCluster.Kind;
import dev.keel.benchmarks.node.NodeVsEtcd.Scenario;
import dev.keel.node.disk.FsyncProbe;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The figures of one {@code bin/keel-node-bench} run as Markdown: a generated block between two marker
 * comments inside the "Node vs etcd" section of {@code docs/benchmarks.md}. A new run replaces only that block,
 * so the hand-written analysis around it (profiles, fixes, open ideas) stays.
 */
final class NodeBenchReport {
    static final String SECTION = "## Node vs etcd";
    static final String BEGIN = "<!-- node-bench:begin (written by bin/keel-node-bench; edit outside the markers) -->";
    static final String END = "<!-- node-bench:end -->";

    private final BenchOptions options;
    private final FsyncProbe.Result fsync;
    private final Map<Scenario, Map<Kind, PutLoad.Result>> results;
    private final String loadBefore;
    private final String loadAfter;

    NodeBenchReport(BenchOptions options, FsyncProbe.Result fsync, Map<Scenario, Map<Kind, PutLoad.Result>> results,
                    String loadBefore, String loadAfter) {
        this.options = options;
        this.fsync = fsync;
        this.results = results;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
    }

    /** @return the generated block, markers included */
    String block() {
        StringBuilder b = new StringBuilder(BEGIN).append("\n");
        b.append(String.format("Measured %s by `bin/keel-node-bench --rounds %d --warmup %d --measure %d` on %s."
                        + " Load average (1/5/15 min) before the run: %s; after: %s. Keel JVM options: %s.%n%n",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), options.rounds(),
                options.warmup().toSeconds(), options.measure().toSeconds(), Machine.describe(), loadBefore,
                loadAfter, options.keelJavaOpts() == null ? "bin/keel's default" : "`" + options.keelJavaOpts() + "`"));
        b.append("| disk: `fdatasync` after a 4 KiB write, on the data directories' file system | p50 | p99 | max |\n");
        b.append("|---|---|---|---|\n");
        b.append(String.format("| %,d samples (`FsyncProbe`) | **%,d µs** | %,d µs | %,d µs |%n%n", fsync.samples(),
                fsync.p50Micros(), fsync.p99Micros(), fsync.maxMicros()));
        latencyTable(b);
        throughputTable(b);
        goal(b);
        return b.append(END).toString();
    }

    private void latencyTable(StringBuilder b) {
        b.append("| single client, closed loop, to the leader | Keel p50 | etcd p50 | **Keel/etcd p50** | Keel p99 |"
                + " etcd p99 | Keel/etcd p99 | Keel puts/s | etcd puts/s | CPU ms/put Keel / etcd |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Scenario s : new Scenario[] {Scenario.ONE_MEMBER_LATENCY, Scenario.THREE_MEMBER_LATENCY}) {
            PutLoad.Result k = result(s, Kind.KEEL);
            PutLoad.Result e = result(s, Kind.ETCD);
            if (k == null || e == null) {
                continue;
            }
            b.append(String.format("| %d member%s | %s | %s | **%.2f×** | %s | %s | %.2f× | %,.0f | %,.0f | %s |%n",
                    s.members, s.members == 1 ? "" : "s", micros(k, 50), micros(e, 50), k.micros(50) / e.micros(50),
                    micros(k, 99), micros(e, 99), k.micros(99) / e.micros(99), k.opsPerSecond(), e.opsPerSecond(),
                    cpu(k, e)));
        }
        b.append("\n");
    }

    private void throughputTable(StringBuilder b) {
        PutLoad.Result k = result(Scenario.THREE_MEMBER_THROUGHPUT, Kind.KEEL);
        PutLoad.Result e = result(Scenario.THREE_MEMBER_THROUGHPUT, Kind.ETCD);
        if (k == null || e == null) {
            return;
        }
        b.append(String.format("| 3 members, %d puts in flight over %d connections, to the leader | Keel | etcd |"
                + " **Keel/etcd** |%n", options.outstanding(), options.connections()));
        b.append("|---|---|---|---|\n");
        b.append(String.format("| puts/s | %,.0f | %,.0f | **%.2f×** |%n", k.opsPerSecond(), e.opsPerSecond(),
                k.opsPerSecond() / e.opsPerSecond()));
        for (double p : new double[] {50, 99}) {
            b.append(String.format("| latency p%.0f | %s | %s | %.2f× |%n", p, micros(k, p), micros(e, p),
                    k.micros(p) / e.micros(p)));
        }
        b.append(String.format("| members' CPU per put (all members) | %.3f ms | %.3f ms | %.2f× |%n",
                k.cpuMillisPerPut(), e.cpuMillisPerPut(), ratio(k.cpuMillisPerPut(), e.cpuMillisPerPut())));
        b.append(String.format("| failed puts | %d | %d | |%n%n", k.errors(), e.errors()));
    }

    private void goal(StringBuilder b) {
        PutLoad.Result k = result(Scenario.ONE_MEMBER_LATENCY, Kind.KEEL);
        PutLoad.Result e = result(Scenario.ONE_MEMBER_LATENCY, Kind.ETCD);
        if (k == null || e == null || fsync.p50Micros() == 0) {
            return;
        }
        double keelRatio = k.micros(50) / fsync.p50Micros();
        b.append(String.format("Goal, one member: put p50 ≤ 2 × one fsync (2 × %,d µs = %,d µs): Keel's p50 is %s ="
                        + " **%.2f× fsync, %s**; etcd's is %.2f× fsync.%n", fsync.p50Micros(), 2 * fsync.p50Micros(),
                micros(k, 50), keelRatio, keelRatio <= 2 ? "met" : "not met", e.micros(50) / fsync.p50Micros()));
    }

    private static String cpu(PutLoad.Result k, PutLoad.Result e) {
        return String.format("%.3f / %.3f (%.2f×)", k.cpuMillisPerPut(), e.cpuMillisPerPut(),
                ratio(k.cpuMillisPerPut(), e.cpuMillisPerPut()));
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    private PutLoad.Result result(Scenario s, Kind kind) {
        Map<Kind, PutLoad.Result> byKind = results.get(s);
        return byKind == null ? null : byKind.get(kind);
    }

    private static String micros(PutLoad.Result r, double percentile) {
        return String.format("%,.0f µs", r.micros(percentile));
    }

    /** @return the block without markers, for the console */
    String summary() {
        return block().replace(BEGIN + "\n", "").replace(END, "");
    }

    /** Replaces the block in {@code doc}, or appends the section with the block if the file has none. */
    void writeInto(Path doc) throws IOException {
        String b = block();
        new DocBlock(SECTION, BEGIN, END).write(doc, b.substring(BEGIN.length() + 1, b.length() - END.length()));
    }
}
