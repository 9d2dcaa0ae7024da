package dev.keel.benchmarks.node;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The flags of {@code bin/keel-node-bench}.
 *
 * @param repo         the Keel checkout (its {@code bin/keel-cluster} and built {@code node/target/keel.jar})
 * @param workDir      where the clusters' data directories and the fsync probe file go (its file system is
 *                     the one measured)
 * @param etcdScript   the script that starts and stops an etcd cluster
 * @param doc          the Markdown file whose "Node vs etcd" section is refreshed; null to only print
 * @param keelPort     first client port of Keel's clusters
 * @param etcdPort     first client port of etcd's clusters
 * @param warmup       unrecorded load before each measured phase
 * @param measure      each measured phase
 * @param rounds       how many times each cluster is measured (the order of Keel and etcd flips every round)
 * @param outstanding  puts in flight in the throughput run
 * @param connections  connections the throughput run spreads them over
 * @param keelJavaOpts the Keel members' JVM options, or null for bin/keel's default
 * @param fsyncSamples fdatasyncs the probe times
 */
record BenchOptions(Path repo, Path workDir, Path etcdScript, Path doc, int keelPort, int etcdPort,
                    Duration warmup, Duration measure, int rounds, int outstanding, int connections,
                    String keelJavaOpts, int fsyncSamples) {
    static final String USAGE = """
            usage: keel-node-bench [--repo DIR] [--work-dir DIR] [--etcd-script FILE] [--doc FILE | --no-doc]
                                   [--keel-port N] [--etcd-port N] [--warmup S] [--measure S] [--rounds N]
                                   [--outstanding N] [--connections N] [--keel-java-opts OPTS] [--fsync-samples N]""";

    /** @throws IllegalArgumentException for an unknown flag or a value out of range, saying which */
    static BenchOptions parse(String[] args) {
        Path repo = Path.of(".").toAbsolutePath().normalize();
        Path workDir = Path.of("/tmp/keel-node-bench");
        Path etcdScript = null;
        Path doc = null;
        boolean noDoc = false;
        int keelPort = 24379;
        int etcdPort = 25379;
        int warmup = 20;
        int measure = 15;
        int rounds = 2;
        int outstanding = 64;
        int connections = 4;
        String javaOpts = null;
        int fsyncSamples = 2000;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--no-doc")) {
                noDoc = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = args[++i];
            switch (flag) {
                case "--repo" -> repo = FlagValues.path(v);
                case "--work-dir" -> workDir = FlagValues.path(v);
                case "--etcd-script" -> etcdScript = FlagValues.path(v);
                case "--doc" -> doc = FlagValues.path(v);
                case "--keel-port" -> keelPort = number(flag, v, 1024, 65000);
                case "--etcd-port" -> etcdPort = number(flag, v, 1024, 65000);
                case "--warmup" -> warmup = number(flag, v, 0, 600);
                case "--measure" -> measure = number(flag, v, 1, 600);
                case "--rounds" -> rounds = number(flag, v, 1, 20);
                case "--outstanding" -> outstanding = number(flag, v, 1, 10_000);
                case "--connections" -> connections = number(flag, v, 1, 64);
                case "--keel-java-opts" -> javaOpts = v;
                case "--fsync-samples" -> fsyncSamples = number(flag, v, 1, 100_000);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (Math.abs(keelPort - etcdPort) < 100) {
            throw new IllegalArgumentException("--keel-port and --etcd-port must be at least 100 apart");
        }
        if (etcdScript == null) {
            etcdScript = repo.resolve("bin/etcd-ref-cluster");
        }
        if (doc == null && !noDoc) {
            doc = repo.resolve("docs/benchmarks.md");
        }
        return new BenchOptions(repo, workDir, etcdScript, noDoc ? null : doc, keelPort, etcdPort,
                Duration.ofSeconds(warmup), Duration.ofSeconds(measure), rounds, outstanding, connections,
                javaOpts, fsyncSamples);
    }

    private static int number(String flag, String value, int min, int max) {
        return (int) FlagValues.number(flag, value, min, max);
    }
}
