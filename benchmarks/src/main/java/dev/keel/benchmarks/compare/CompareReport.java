package dev.keel.benchmarks.compare;

import dev.keel.benchmarks.load.Dispatcher;
import dev.keel.benchmarks.load.LoadResult;
import dev.keel.benchmarks.node.DocBlock;
import dev.keel.benchmarks.node.LocalCluster.Kind;
import dev.keel.node.disk.FsyncProbe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The figures of one {@code bin/keel-compare} run as Markdown, side by side with the ratio Keel/etcd: a block
 * between marker comments in {@code docs/benchmarks.md}, and a percentile plot per workload in
 * {@code docs/benchmarks/} linked from it.
 */
final class CompareReport {
    static final DocBlock BLOCK = new DocBlock("## Keel vs etcd, workload by workload",
            "<!-- compare:begin (written by bin/keel-compare; edit outside the markers) -->", "<!-- compare:end -->");

    private final CompareOptions options;
    private final FsyncProbe.Result fsync;
    private final Results results;
    private final String header;

    /** @param header who ran what, where, when (machine, load averages) */
    CompareReport(CompareOptions options, FsyncProbe.Result fsync, Results results, String header) {
        this.options = options;
        this.fsync = fsync;
        this.results = results;
        this.header = header;
    }

    /** @return the block's body (no markers) */
    String body() {
        StringBuilder b = new StringBuilder(header).append("\n\n");
        b.append("| disk: `fdatasync` after a 4 KiB write (`FsyncProbe`) | p50 | p99 | max |\n|---|---|---|---|\n");
        b.append(String.format("| %,d samples | **%,d µs** | %,d µs | %,d µs |%n%n", fsync.samples(),
                fsync.p50Micros(), fsync.p99Micros(), fsync.maxMicros()));
        throughput(b);
        latency(b);
        memory(b);
        targets(b);
        plots(b);
        List<String> failures = results.failures();
        if (!failures.isEmpty()) {
            b.append("\nFailed during the run: ").append(String.join("; ", failures)).append(".\n");
        }
        return b.toString();
    }

    private void throughput(StringBuilder b) {
        b.append("| 3 members, to the leader | Keel ops/s | etcd ops/s | **Keel/etcd** | errors Keel / etcd |"
                + " members' CPU ms/op Keel / etcd |\n|---|---|---|---|---|---|\n");
        for (Scenario s : loads()) {
            Results.Measured k = results.get(s, Kind.KEEL);
            Results.Measured e = results.get(s, Kind.ETCD);
            b.append(String.format("| %s | %s | %s | **%s** | %s / %s | %s / %s |%n", s.label,
                    k == null ? "—" : String.format("%,.0f", k.load().opsPerSecond()),
                    e == null ? "—" : String.format("%,.0f", e.load().opsPerSecond()),
                    ratio(k == null ? 0 : k.load().opsPerSecond(), e == null ? 0 : e.load().opsPerSecond()),
                    errors(k), errors(e), cpu(k), cpu(e)));
        }
        b.append("\nWatch: ops are deliveries (puts × 100 watchers), the puts offered at ")
                .append(String.format("%,.0f", options.watchRate())).append("/s in an open loop (latency from each put's")
                .append(" intended send time; *unsent*: puts the schedule held back past the end, all 64 writers")
                .append(" waiting). Lease keepalive: round trips. Errors include requests unanswered at the end.\n\n");
    }

    private void latency(StringBuilder b) {
        b.append("| latency, Keel / etcd (Keel/etcd) | p50 | p90 | p99 | p99.9 | max |\n|---|---|---|---|---|---|\n");
        for (Scenario s : loads()) {
            Results.Measured k = results.get(s, Kind.KEEL);
            Results.Measured e = results.get(s, Kind.ETCD);
            b.append("| ").append(s.label);
            for (double p : LoadResult.PERCENTILES) {
                b.append(" | ").append(cell(k == null ? Double.NaN : k.load().micros(p),
                        e == null ? Double.NaN : e.load().micros(p)));
            }
            b.append(" | ").append(cell(k == null ? Double.NaN : k.load().maxMicros(),
                    e == null ? Double.NaN : e.load().maxMicros())).append(" |\n");
        }
        b.append('\n');
    }

    private void memory(StringBuilder b) {
        MemoryProbe.Result k = results.memory(Kind.KEEL);
        MemoryProbe.Result e = results.memory(Kind.ETCD);
        if (k == null && e == null) {
            return;
        }
        long keys = k != null ? k.keys() : e.keys();
        b.append(String.format("| memory with %,d keys of 256 B (largest of 3 members) | Keel | etcd | **Keel/etcd** |%n",
                keys));
        b.append("|---|---|---|---|\n");
        b.append(String.format("| `VmRSS` after writing | %s | %s | **%s** |%n", mib(k, true), mib(e, true),
                ratio(k == null ? 0 : k.maxRssKib(), e == null ? 0 : e.maxRssKib())));
        b.append(String.format("| `VmHWM` (peak) | %s | %s | %s |%n", mib(k, false), mib(e, false),
                ratio(k == null ? 0 : k.maxHwmKib(), e == null ? 0 : e.maxHwmKib())));
        b.append(String.format("| time to write them (transactions of 128 puts, 16 in flight) | %s | %s | |%n%n",
                k == null ? "—" : String.format("%.1f s", k.load().toMillis() / 1e3),
                e == null ? "—" : String.format("%.1f s", e.load().toMillis() / 1e3)));
    }

    private void targets(StringBuilder b) {
        b.append("| target (measured, not asserted) | measured | |\n|---|---|---|\n");
        for (Targets.Target t : Targets.judge(results, fsync)) {
            b.append(String.format("| %s | %s | **%s** |%n", t.goal(), t.measured(), t.verdict().text));
        }
    }

    private void plots(StringBuilder b) {
        if (options.plotDir() == null) {
            return;
        }
        b.append("\nLatency by percentile (HdrHistogram's axis: 90 %, 99 %, 99.9 % evenly spaced):");
        for (Scenario s : loads()) {
            b.append(String.format(" [%s](benchmarks/%s)", s.cli, plotName(s)));
        }
        b.append(".\n");
    }

    /** Writes a plot per measured load into the plot directory. */
    void writePlots() throws IOException {
        Files.createDirectories(options.plotDir());
        for (Scenario s : loads()) {
            Map<String, org.HdrHistogram.Histogram> series = PercentilePlot.series();
            for (Kind kind : Kind.values()) {
                Results.Measured m = results.get(s, kind);
                if (m != null) {
                    series.put(kind.label, m.load().latencyNanos());
                }
            }
            PercentilePlot.write(options.plotDir().resolve(plotName(s)), "3 members: " + s.label, series);
        }
    }

    /** Writes the block into the doc. */
    void writeDoc() throws IOException {
        BLOCK.write(options.doc(), body());
    }

    private List<Scenario> loads() {
        return options.scenarios().stream().filter(Scenario::isLoad)
                .filter(s -> results.get(s, Kind.KEEL) != null || results.get(s, Kind.ETCD) != null).toList();
    }

    static String plotName(Scenario s) {
        return "compare-" + s.cli + ".png";
    }

    private static String cell(double keel, double etcd) {
        return String.format("%s / %s (%s)", micros(keel), micros(etcd), ratio(keel, etcd));
    }

    private static String micros(double us) {
        if (Double.isNaN(us)) {
            return "—";
        }
        return us >= 10_000 ? String.format("%,.1f ms", us / 1e3) : String.format("%,.0f µs", us);
    }

    private static String ratio(double keel, double etcd) {
        return Double.isNaN(keel) || Double.isNaN(etcd) || keel == 0 || etcd == 0 ? "—"
                : String.format("%.2f×", keel / etcd);
    }

    /** @return failed plus unanswered requests, and the open loop's requests never sent in time */
    private static String errors(Results.Measured m) {
        if (m == null) {
            return "—";
        }
        Map<String, Long> c = m.load().counters();
        long unsent = c.getOrDefault(Dispatcher.UNSENT, 0L);
        return (m.load().errorCount() + c.getOrDefault(Dispatcher.UNANSWERED, 0L))
                + (unsent > 0 ? " (" + unsent + " unsent)" : "");
    }

    private static String cpu(Results.Measured m) {
        return m == null || m.cpuMillis() == 0 ? "—" : String.format("%.3f", m.cpuPerOp());
    }

    private static String mib(MemoryProbe.Result r, boolean rss) {
        return r == null ? "—" : String.format("%,d MiB", (rss ? r.maxRssKib() : r.maxHwmKib()) / 1024);
    }
}
