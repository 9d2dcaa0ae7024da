package dev.keel.benchmarks.node;

import dev.keel.benchmarks.node.LocalCluster.Kind;
import dev.keel.node.disk.FsyncProbe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/keel-node-bench}: Keel's node against etcd 3.4 on this machine, in one run. First the raw
 * {@code fdatasync} latency of the file system the data directories live on ({@link FsyncProbe}); then, for
 * each round, a one-member cluster and a three-member cluster of each system, Keel and etcd alternating (the
 * order flips every round), each started alone on a fresh directory and stopped before the next. On each
 * cluster: single-client put latency (closed loop) against the leader, and on three members also put
 * throughput with many puts in flight ({@link PutLoad}). The figures go to stdout as progress lines and into
 * the "Node vs etcd" section of {@code docs/benchmarks.md} ({@link NodeBenchReport}).
 */
public final class NodeVsEtcd {
    /** What was measured on one cluster. */
    enum Scenario {
        ONE_MEMBER_LATENCY(1, "1 member, 1 client: put latency"),
        THREE_MEMBER_LATENCY(3, "3 members, 1 client: put latency"),
        THREE_MEMBER_THROUGHPUT(3, "3 members, many puts in flight: throughput");

        final int members;
        final String label;

        Scenario(int members, String label) {
            this.members = members;
            this.label = label;
        }
    }

    private final BenchOptions options;
    private final Map<Scenario, Map<Kind, PutLoad.Result>> results = new EnumMap<>(Scenario.class);

    private NodeVsEtcd(BenchOptions options) {
        this.options = options;
    }

    /** Runs the comparison; see {@link BenchOptions#parse} for the flags. Exit 2 on bad flags, 1 on failure. */
    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("keel-node-bench: " + e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            new NodeVsEtcd(options).run();
            System.exit(0);
        } catch (Exception e) {
            System.err.println("keel-node-bench: failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private void run() throws IOException, InterruptedException {
        Files.createDirectories(options.workDir());
        String loadBefore = Machine.loadAverage();
        progress("load average before: " + loadBefore);
        progress("fdatasync probe in " + options.workDir() + " (" + options.fsyncSamples() + " samples)");
        FsyncProbe.Result fsync = FsyncProbe.measure(options.workDir(), options.fsyncSamples(), 4096);
        progress("fdatasync: " + fsync);
        for (int round = 0; round < options.rounds(); round++) {
            List<Kind> order = round % 2 == 0 ? List.of(Kind.KEEL, Kind.ETCD) : List.of(Kind.ETCD, Kind.KEEL);
            for (int members : new int[] {1, 3}) {
                for (Kind kind : order) {
                    measureCluster(round, kind, members);
                }
            }
        }
        String loadAfter = Machine.loadAverage();
        progress("load average after: " + loadAfter);
        NodeBenchReport report = new NodeBenchReport(options, fsync, results, loadBefore, loadAfter);
        System.out.println(report.summary());
        if (options.doc() != null) {
            report.writeInto(options.doc());
            progress("wrote the results into " + options.doc());
        }
    }

    private void measureCluster(int round, Kind kind, int members) throws InterruptedException {
        String name = kind.label + " " + members + "-member";
        progress("round " + (round + 1) + "/" + options.rounds() + ": starting " + name + " cluster");
        try (LocalCluster cluster = start(kind, members)) {
            String leader = cluster.leaderEndpoint();
            progress(name + " up: " + cluster.endpoints() + ", leader " + leader);
            CpuMeter cpu = CpuMeter.start(cluster, options.warmup(), options.measure());
            PutLoad.Result single = PutLoad.closedLoop(leader, options.warmup(), options.measure());
            record(members == 1 ? Scenario.ONE_MEMBER_LATENCY : Scenario.THREE_MEMBER_LATENCY, kind,
                    single.withCpuMillis(cpu.awaitMillis()));
            if (members == 3) {
                cpu = CpuMeter.start(cluster, options.warmup(), options.measure());
                PutLoad.Result many = PutLoad.concurrent(leader, options.outstanding(), options.connections(),
                        options.warmup(), options.measure());
                record(Scenario.THREE_MEMBER_THROUGHPUT, kind, many.withCpuMillis(cpu.awaitMillis()));
            }
        }
        progress(name + " stopped");
    }

    private LocalCluster start(Kind kind, int members) {
        Path dir = options.workDir().resolve(kind.name().toLowerCase() + "-" + members);
        return kind == Kind.KEEL
                ? LocalCluster.keel(options.repo(), dir, options.keelPort(), members, options.keelJavaOpts())
                : LocalCluster.etcd(options.etcdScript(), dir, options.etcdPort(), members);
    }

    private void record(Scenario scenario, Kind kind, PutLoad.Result result) {
        progress(String.format("  %s, %s: %,.0f puts/s, p50 %.0f us, p99 %.0f us, max %.0f us, %d errors,"
                        + " members' CPU %.2f ms/put, load %s", kind.label, scenario.label, result.opsPerSecond(),
                result.micros(50), result.micros(99), result.latencyNanos().getMaxValue() / 1000.0, result.errors(),
                result.cpuMillisPerPut(), Machine.loadAverage()));
        results.computeIfAbsent(scenario, s -> new EnumMap<>(Kind.class)).merge(kind, result, PutLoad.Result::plus);
    }

    static void progress(String line) {
        System.out.println("keel-node-bench: " + line);
        System.out.flush();
    }
}
