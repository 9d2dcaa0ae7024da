package dev.keel.harness.run;

import dev.keel.harness.cluster.ClusterOptions;
import dev.keel.harness.nemesis.FaultFamily;
import dev.keel.harness.nemesis.FaultKind;
import dev.keel.harness.workload.Workloads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code bin/keel-torture}: runs a real Keel cluster under faults and checks what its clients saw. Exit codes:
 * 0 every checker passed, 1 a violation was found, 2 a checker could not decide, 64 bad usage, 70 the harness
 * could not run (the cluster did not start or recover: the message says where the logs are).
 */
@Command(name = "keel-torture", mixinStandardHelpOptions = true, version = "keel-torture 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true, exitCodeOnInvalidInput = TortureMain.EXIT_USAGE,
        description = {"Starts a Keel cluster of real bin/keel processes behind TCP proxies, runs etcd client "
                + "workloads while a seeded nemesis injects faults, and checks every history.",
            "Exit 0: every checker passed; 1: a violation; 2: undecided; 64: bad usage; 70: the harness failed."})
public final class TortureMain implements Callable<Integer> {
    /** Bad usage (BSD's EX_USAGE). */
    public static final int EXIT_USAGE = 64;
    /** The harness itself could not run (BSD's EX_SOFTWARE). */
    public static final int EXIT_HARNESS = 70;

    @Option(names = "--members", defaultValue = "3", description = "cluster size (default ${DEFAULT-VALUE})")
    int members;
    @Option(names = "--time", defaultValue = "60", paramLabel = "SECONDS",
            description = "how long faults are injected (default ${DEFAULT-VALUE})")
    long seconds;
    @Option(names = "--seed", paramLabel = "SEED", description = "seed of the schedule and the workloads "
            + "(decimal or 0x hex; default: drawn and printed)")
    String seed;
    @Option(names = "--workloads", defaultValue = "register,set,watch,lease,lock", split = ",",
            description = "which workloads, run at once (default ${DEFAULT-VALUE})")
    List<String> workloads;
    @Option(names = "--faults", defaultValue = "partition,network,kill,pause,membership,transfer,clock",
            split = ",", description = "fault families: partition, network, kill, pause, membership, transfer, "
            + "clock (default: all; clock faults are skipped with a note where libfaketime is missing), or single "
            + "kinds such as isolate-leader, pause-leader, kill-majority (see docs/reliability.md)")
    List<String> faults;
    @Option(names = "--clients", defaultValue = "3", description = "client threads per workload (default "
            + "${DEFAULT-VALUE})")
    int clients;
    @Option(names = "--op-timeout", defaultValue = "2000", paramLabel = "MILLIS",
            description = "deadline of each client call; a call that misses it is :info (default ${DEFAULT-VALUE})")
    long opTimeoutMillis;
    @Option(names = "--out", paramLabel = "DIR", description = "the run's folder (default: "
            + "torture/<date>-<seed> under the current directory)")
    Path out;
    @Option(names = "--keel-jar", paramLabel = "JAR", description = "the member jar (default: node/target/keel.jar"
            + " of this checkout)")
    Path keelJar;
    @Option(names = "--member-flag", paramLabel = "FLAG=VALUE", description = "a bin/keel flag for every member, "
            + "e.g. --member-flag=--snapshot-count=1000 (repeatable)")
    List<String> memberFlags = new ArrayList<>();
    @Option(names = "--keep-data", description = "keep the members' data directories after a passing run")
    boolean keepData;

    /** Runs and exits with the run's exit code. */
    public static void main(String[] args) {
        quietClientLogs();
        System.exit(run(args));
    }

    /**
     * The clients' own libraries log every reset connection with a stack trace, and a run resets many on purpose;
     * what a call saw is in the histories. Their errors still show.
     */
    static void quietClientLogs() {
        for (String library : new String[] {"com.linecorp.armeria", "io.netty", "io.grpc"}) {
            System.setProperty("org.slf4j.simpleLogger.log." + library, "error");
        }
    }

    /** @return the exit code */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new TortureMain());
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("keel-torture: " + e.getMessage() + " (see keel-torture --help)");
            return EXIT_USAGE;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        TortureOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            System.err.println("keel-torture: " + e.getMessage() + " (see keel-torture --help)");
            return EXIT_USAGE;
        }
        RunSummary summary;
        try {
            summary = new TortureRun(options, System.out).run();
        } catch (IllegalArgumentException e) {
            System.err.println("keel-torture: " + e.getMessage());
            return EXIT_USAGE;
        } catch (RuntimeException e) {
            System.err.println("keel-torture: the run could not go on: " + e.getMessage());
            System.err.println("keel-torture: the members' logs and harness.log are in " + options.dir()
                    + "; replay with --seed " + options.seedText());
            e.printStackTrace(System.err);
            return EXIT_HARNESS;
        }
        System.out.print(summary.table());
        return summary.exitCode();
    }

    TortureOptions options() {
        long seedValue = seed == null ? ThreadLocalRandom.current().nextLong() : parseSeed(seed);
        for (String w : workloads) {
            if (!Workloads.NAMES.contains(w)) {
                throw new IllegalArgumentException("unknown workload '" + w + "'; choose from " + Workloads.NAMES);
            }
        }
        Set<FaultKind> kinds = new LinkedHashSet<>();
        for (String f : faults) {
            Optional<FaultKind> kind = FaultKind.byName(f);
            kinds.addAll(kind.isPresent() ? Set.of(kind.get()) : FaultKind.of(Set.of(FaultFamily.byName(f))));
        }
        Path jar = keelJar != null ? keelJar : home().resolve("node").resolve("target").resolve("keel.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " not found; build it first: mvn -B -q package -DskipTests");
        }
        Path dir = out != null ? out : Path.of("torture", LocalDateTime.now()
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + Long.toHexString(seedValue));
        return new TortureOptions(members, seconds * 1000, seedValue, workloads, kinds, Optional.empty(),
                clients, opTimeoutMillis, dir.toAbsolutePath(), ClusterOptions.defaultLauncher(jar),
                splitFlags(memberFlags), keepData);
    }

    private static Path home() {
        String home = System.getProperty("keel.home");
        return home != null ? Path.of(home) : Path.of(".");
    }

    /** {@code --snapshot-count=1000} → {@code --snapshot-count 1000}; a bare {@code --flag} stays alone. */
    static List<String> splitFlags(List<String> flags) {
        List<String> split = new ArrayList<>();
        for (String f : flags) {
            if (!f.startsWith("--")) {
                throw new IllegalArgumentException("--member-flag takes a bin/keel flag such as "
                        + "--snapshot-count=1000, not '" + f + "'");
            }
            int eq = f.indexOf('=');
            split.addAll(eq < 0 ? List.of(f) : Arrays.asList(f.substring(0, eq), f.substring(eq + 1)));
        }
        return split;
    }

    static long parseSeed(String text) {
        try {
            return text.startsWith("0x") || text.startsWith("0X") ? Long.parseUnsignedLong(text.substring(2), 16)
                    : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed takes a decimal or 0x-hex 64-bit number, not '" + text + "'");
        }
    }
}
