package dev.keel.benchmarks.compare;

import dev.keel.benchmarks.node.FlagValues;
import dev.keel.benchmarks.node.LocalCluster.Kind;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The flags of {@code bin/keel-compare}.
 *
 * @param repo         the Keel checkout (bin/keel-cluster, the built jars, docs/)
 * @param workDir      the clusters' data directories and the fsync probe's file (that file system is measured)
 * @param etcdScript   the script that starts and stops an etcd cluster
 * @param doc          the Markdown file whose compare block is refreshed; null with --no-doc
 * @param plotDir      where the percentile plots go (relative links from the doc); null with --no-doc
 * @param systems      which systems to run (both by default)
 * @param scenarios    what to measure
 * @param rounds       rounds; the order of the systems flips every round
 * @param warmup       the warm-up of each cluster start, spread over the scenarios (JIT)
 * @param measure      each scenario's measured phase
 * @param settle       each scenario's own short warm-up, after the cluster's
 * @param memoryKeys   keys written for the memory measurement
 * @param watchRate    puts per second of the watch writers
 * @param keelPort     first client port of Keel's clusters
 * @param etcdPort     first client port of etcd's clusters
 * @param keelJavaOpts Keel members' JVM options (null: bin/keel's default)
 * @param quick        the smoke-test sizes
 */
public record CompareOptions(Path repo, Path workDir, Path etcdScript, Path doc, Path plotDir, List<Kind> systems,
                             List<Scenario> scenarios, int rounds, Duration warmup, Duration measure,
                             Duration settle, long memoryKeys, double watchRate, int keelPort, int etcdPort,
                             String keelJavaOpts, boolean quick) {
    static final String USAGE = """
            usage: keel-compare [--rounds N] [--warmup S] [--measure S] [--workloads LIST] [--quick] [--no-doc]
                                [--systems keel,etcd] [--memory-keys N] [--watch-rate R] [--work-dir DIR]
                                [--keel-port N] [--etcd-port N] [--keel-java-opts OPTS] [--repo DIR]
                                [--etcd-script FILE] [--doc FILE]
              LIST: all (default) or some of\s""" + Scenario.names();

    /** @throws IllegalArgumentException for an unknown flag or a value out of range, saying which */
    static CompareOptions parse(String[] args) {
        Path repo = Path.of(".").toAbsolutePath().normalize();
        Path workDir = Path.of("/tmp/keel-compare");
        Path etcdScript = null;
        Path doc = null;
        boolean noDoc = false;
        boolean quick = Arrays.asList(args).contains("--quick");
        List<Kind> systems = List.of(Kind.KEEL, Kind.ETCD);
        List<Scenario> scenarios = List.of(Scenario.values());
        int rounds = quick ? 1 : 2;
        int warmup = quick ? 4 : 24;
        int measure = quick ? 1 : 10;
        long memoryKeys = quick ? 10_000 : 1_000_000;
        double watchRate = 100;
        int keelPort = 26379;
        int etcdPort = 27379;
        String javaOpts = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--no-doc") || flag.equals("--quick")) {
                noDoc |= flag.equals("--no-doc");
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
                case "--systems" -> systems = systems(v);
                case "--workloads" -> scenarios = Scenario.parseList(v);
                case "--rounds" -> rounds = (int) FlagValues.number(flag, v, 1, 20);
                case "--warmup" -> warmup = (int) FlagValues.number(flag, v, 0, 600);
                case "--measure" -> measure = (int) FlagValues.number(flag, v, 1, 600);
                case "--memory-keys" -> memoryKeys = FlagValues.number(flag, v, 1, 100_000_000);
                case "--watch-rate" -> watchRate = FlagValues.number(flag, v, 1, 1_000_000);
                case "--keel-port" -> keelPort = (int) FlagValues.number(flag, v, 1024, 65000);
                case "--etcd-port" -> etcdPort = (int) FlagValues.number(flag, v, 1024, 65000);
                case "--keel-java-opts" -> javaOpts = v;
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("--workloads names none");
        }
        if (Math.abs(keelPort - etcdPort) < 100) {
            throw new IllegalArgumentException("--keel-port and --etcd-port must be at least 100 apart");
        }
        etcdScript = etcdScript != null ? etcdScript : repo.resolve("bin/etcd-ref-cluster");
        doc = noDoc ? null : doc != null ? doc : repo.resolve("docs/benchmarks.md");
        return new CompareOptions(repo, workDir, etcdScript, doc, doc == null ? null : doc.resolveSibling("benchmarks"),
                systems, scenarios, rounds, Duration.ofSeconds(warmup), Duration.ofSeconds(measure),
                quick ? Duration.ofMillis(500) : Duration.ofSeconds(2), memoryKeys, watchRate, keelPort, etcdPort,
                javaOpts, quick);
    }

    private static List<Kind> systems(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).map(s -> switch (s) {
            case "keel" -> Kind.KEEL;
            case "etcd" -> Kind.ETCD;
            default -> throw new IllegalArgumentException("--systems takes keel, etcd or both: '" + s + "'");
        }).distinct().toList();
    }

    /** @return whether both systems run (ratios and targets need both) */
    boolean both() {
        return systems.size() == 2;
    }
}
