package dev.keel.benchmarks.compare;

import dev.keel.benchmarks.load.Connections;
import dev.keel.benchmarks.load.LoadOptions;
import dev.keel.benchmarks.load.LoadResult;
import dev.keel.benchmarks.load.LoadRun;
import dev.keel.benchmarks.load.Ticker;
import dev.keel.benchmarks.node.CpuMeter;
import dev.keel.benchmarks.node.LocalCluster;
import dev.keel.benchmarks.node.LocalCluster.Kind;
import dev.keel.benchmarks.node.Machine;
import dev.keel.node.disk.FsyncProbe;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code bin/keel-compare}: Keel against etcd 3.4, three members each, workload by workload, in one command.
 * Each round starts one system's cluster alone (so the two never compete for the cores), warms it up once over
 * every workload (JIT), measures each workload with {@code keel-bench}'s load code, and stops it; the systems
 * alternate and their order flips every round. Then, on fresh clusters, the memory of members holding many keys.
 * The raw {@code fdatasync} latency of the disk is measured in the same run. Results go to stdout and into a
 * marked block of {@code docs/benchmarks.md} with percentile plots ({@link CompareReport}).
 */
public final class KeelCompare {
    private static final int MEMBERS = 3;
    private static final int FSYNC_SAMPLES = 2_000;

    private final CompareOptions options;
    private final Results results = new Results();
    private final PrintStream progressOut;
    private volatile LocalCluster running;

    private KeelCompare(CompareOptions options, PrintStream progressOut) {
        this.options = options;
        this.progressOut = progressOut;
    }

    /** Runs the comparison; exit 64 on bad flags, 69 when something it needs is missing, 1 when it failed. */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(CompareOptions.USAGE);
            return 0;
        }
        CompareOptions options;
        try {
            options = CompareOptions.parse(args);
        } catch (IllegalArgumentException e) {
            out.println("keel-compare: " + e.getMessage());
            out.println(CompareOptions.USAGE);
            return 64;
        }
        String missing = missing(options);
        if (missing != null) {
            out.println("keel-compare: " + missing);
            return 69;
        }
        KeelCompare compare = new KeelCompare(options, out);
        Thread hook = new Thread(compare::stopRunning, "keel-compare-stop");
        Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C: the cluster under test stops too
        try {
            compare.runAll();
            return 0;
        } catch (Exception e) {
            out.println("keel-compare: failed: " + e.getMessage() + "; the members' logs are kept in "
                    + options.workDir() + "/*.logs; fix the cause and run again (--workloads narrows the run)");
            return 1;
        } finally {
            compare.stopRunning();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    private static String missing(CompareOptions o) {
        Path jar = o.repo().resolve("node/target/keel.jar");
        if (o.systems().contains(Kind.KEEL) && !Files.isRegularFile(jar)) {
            return jar + " not found; build it with: mvn -B -q package -DskipTests";
        }
        if (o.systems().contains(Kind.ETCD) && !Files.isExecutable(o.etcdScript())) {
            return o.etcdScript() + " not found; pass --etcd-script, or --systems keel";
        }
        return null;
    }

    private void runAll() throws IOException, InterruptedException {
        Files.createDirectories(options.workDir());
        String loadBefore = Machine.loadAverage();
        progress("load average before: " + loadBefore);
        FsyncProbe.Result fsync = FsyncProbe.measure(options.workDir(), FSYNC_SAMPLES, 4096);
        progress("fdatasync in " + options.workDir() + ": " + fsync);
        List<Scenario> loads = options.scenarios().stream().filter(Scenario::isLoad).toList();
        for (int round = 0; round < options.rounds() && !loads.isEmpty(); round++) {
            for (Kind kind : order(round)) {
                session(round, kind, loads);
            }
        }
        if (options.scenarios().contains(Scenario.MEMORY)) {
            for (Kind kind : order(0)) {
                memory(kind);
            }
        }
        String loadAfter = Machine.loadAverage();
        progress("load average after: " + loadAfter);
        CompareReport report = new CompareReport(options, fsync, results, header(loadBefore, loadAfter));
        progressOut.println(report.body());
        if (options.doc() != null) {
            report.writeDoc();
            progress("wrote the results into " + options.doc());
            report.writePlots();
            progress("wrote the plots into " + options.plotDir());
        }
    }

    private List<Kind> order(int round) {
        List<Kind> systems = options.systems();
        return round % 2 == 0 || systems.size() < 2 ? systems : List.of(systems.get(1), systems.get(0));
    }

    /** One cluster start: the warm-up over every workload, then each workload measured. */
    private void session(int round, Kind kind, List<Scenario> loads) throws InterruptedException {
        progress(String.format("round %d/%d: starting a %d-member %s cluster", round + 1, options.rounds(), MEMBERS,
                kind.label));
        try (LocalCluster cluster = start(kind)) {
            String leader = cluster.leaderEndpoint();
            progress(kind.label + " up: " + cluster.endpoints() + ", leader " + leader);
            Duration each = Duration.ofMillis(Math.max(1_000, options.warmup().toMillis() / loads.size()));
            for (Scenario s : loads) {
                progress(String.format("%s warm-up: %s for %.1f s", kind.label, s.cli, each.toMillis() / 1e3));
                load(s, leader, Duration.ZERO, each);
            }
            for (Scenario s : loads) {
                CpuMeter cpu = CpuMeter.start(cluster, options.settle(), options.measure());
                LoadResult r = load(s, leader, options.settle(), options.measure());
                if (r != null) {
                    Results.Measured m = new Results.Measured(r, cpu.awaitMillis());
                    results.add(s, kind, m);
                    progress(String.format("  %s %s: %,.0f ops/s, p50 %,.0f µs, p99 %,.0f µs, max %,.0f µs, %d errors,"
                                    + " CPU %.3f ms/op, load %s", kind.label, s.cli, r.opsPerSecond(), r.micros(50),
                            r.micros(99), r.maxMicros(), r.errorCount(), m.cpuPerOp(), Machine.loadAverage()));
                } else {
                    results.failed(kind.label + " " + s.cli + " (round " + (round + 1) + ")");
                }
            }
        } finally {
            running = null;
        }
        progress(kind.label + " stopped");
    }

    /** @return the load's result, or null when it failed (said on the console, and the run goes on) */
    private LoadResult load(Scenario s, String leader, Duration warmup, Duration measure) throws InterruptedException {
        LoadOptions o = s.options(leader, warmup, measure, options.watchRate());
        try (Connections c = new Connections(o.endpoints(), o.conns(), o.timeoutMillis())) {
            return LoadRun.run(o, c, Ticker.SYSTEM, quiet());
        } catch (RuntimeException e) {
            progress("  " + s.cli + " failed: " + e.getMessage() + "; the members' logs are kept in "
                    + options.workDir() + "/*.logs; rerun it alone with --workloads " + s.cli);
            return null;
        }
    }

    private void memory(Kind kind) throws InterruptedException {
        progress(String.format("memory: starting a fresh %d-member %s cluster for %,d keys", MEMBERS, kind.label,
                options.memoryKeys()));
        try (LocalCluster cluster = start(kind)) {
            MemoryProbe.Result r = MemoryProbe.measure(cluster, cluster.leaderEndpoint(), options.memoryKeys(),
                    quiet());
            results.memory(kind, r);
            progress(String.format("  %s: %,d keys written in %.1f s; VmRSS %s", kind.label, r.keys(),
                    r.load().toMillis() / 1e3, r.members()));
        } catch (RuntimeException e) {
            results.failed(kind.label + " memory");
            progress("  memory on " + kind.label + " failed: " + e.getMessage() + "; rerun it alone with"
                    + " --workloads memory (--memory-keys N for fewer keys)");
        } finally {
            running = null;
        }
    }

    private LocalCluster start(Kind kind) {
        Path dir = options.workDir().resolve(kind.name().toLowerCase() + "-" + MEMBERS);
        LocalCluster c = kind == Kind.KEEL
                ? LocalCluster.keel(options.repo(), dir, options.keelPort(), MEMBERS, options.keelJavaOpts())
                : LocalCluster.etcd(options.etcdScript(), dir, options.etcdPort(), MEMBERS);
        running = c;
        return c;
    }

    private void stopRunning() {
        LocalCluster c = running;
        if (c != null) {
            c.close();
        }
    }

    private String header(String loadBefore, String loadAfter) {
        return String.format("Measured %s by `bin/keel-compare%s` on %s. Load average (1/5/15 min) before the run:"
                        + " %s; after: %s. Keel JVM options: %s. %d round(s), %d s warm-up per cluster start, %d s"
                        + " measured per workload and round.",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), commandLine(),
                Machine.describe(), loadBefore, loadAfter,
                options.keelJavaOpts() == null ? "bin/keel's default" : "`" + options.keelJavaOpts() + "`",
                options.rounds(), options.warmup().toSeconds(), options.measure().toSeconds());
    }

    private String commandLine() {
        return String.format(" --rounds %d --warmup %d --measure %d%s", options.rounds(), options.warmup().toSeconds(),
                options.measure().toSeconds(), options.quick() ? " --quick" : "");
    }

    /** Where the loads' own progress lines go: nowhere (the comparison prints one line per workload). */
    private static PrintStream quiet() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }

    private void progress(String line) {
        progressOut.println("keel-compare: " + line);
        progressOut.flush();
    }
}
