package dev.keel.simulator;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code bin/keel-sim}: runs seeds, reports progress and speed, and on a failure prints the seed, the
 * violated check and the command that replays it, and writes the history (EDN) and the checker's HTML report.
 */
@Command(name = "keel-sim", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = SimulatorCli.Version.class,
        description = "Runs whole Keel clusters in one deterministic thread under injected faults and checks "
                + "every history. Exit status: 0 all seeds passed, 1 a seed failed, 64 bad usage.")
public final class SimulatorCli implements Callable<Integer> {
    @Option(names = "--seeds", description = "How many seeds to run (default 100, unless --seed is given).")
    Long seeds;

    @Option(names = "--seed", description = "Run exactly this seed (hex with 0x, or decimal), e.g. to replay.")
    String seed;

    @Option(names = "--first-seed", defaultValue = "0",
            description = "Where the --seeds sequence starts (default ${DEFAULT-VALUE}).")
    long firstSeed;

    @Option(names = "--nodes", defaultValue = "3", description = "Cluster size, 3 or 5 (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--virtual-seconds", defaultValue = "60",
            description = "Virtual seconds of faults per seed before the liveness phase (default ${DEFAULT-VALUE}).")
    int virtualSeconds;

    @Option(names = "--faults", defaultValue = "all",
            description = "Fault kinds seeds may draw: all, none, or a comma list of: delay, loss, duplication, "
                    + "reorder, partition, asymmetric-partition, isolate-leader, clog, clock-drift, clock-jump, "
                    + "crash, pause, torn-write, corruption, slow-fsync, disk-full, membership, transfer.")
    String faults;

    @Option(names = "--mix", defaultValue = "default",
            description = "How seeds weight their schedules: default (swarm mix) or rare (long minority-leader "
                    + "partitions, crashes between sync and send, long stale suffixes, one-entry healing with late "
                    + "duplicates, snapshots racing appends).")
    String mix;

    @Option(names = "--no-history-check",
            description = "Skip the linearizability check (every other check still runs): for measuring the "
                    + "simulator's own speed.")
    boolean noHistoryCheck;

    @Option(names = "--slowest", defaultValue = "0",
            description = "At the end, list the N seeds whose history check took longest, with their operation "
                    + "and indeterminate-write counts (default ${DEFAULT-VALUE}: none).")
    int slowest;

    @Option(names = "--out", defaultValue = "sim-failures",
            description = "Where failing histories (EDN) and reports (HTML) go (default ${DEFAULT-VALUE}).")
    Path out;

    private final PrintStream stdout;
    private final PrintStream stderr;
    /** The run so far; {@link #main} prints it on Ctrl-C. */
    final RunSummary summary = new RunSummary();
    /** Whether to print {@link #summary} when the JVM is stopped mid-run (the real CLI, not tests). */
    private boolean summaryOnShutdown;

    /** The simulator's version (Keel's). */
    static final String VERSION = "0.1.0";

    /** {@code --version}: the simulator's version and the Java it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"keel-sim Version: " + VERSION, "Java Version: " + System.getProperty("java.version")};
        }
    }

    SimulatorCli(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static void main(String[] args) {
        SimulatorCli command = new SimulatorCli(System.out, System.err);
        command.summaryOnShutdown = true;
        System.exit(execute(command, args));
    }

    static int execute(String[] args, PrintStream stdout, PrintStream stderr) {
        return execute(new SimulatorCli(stdout, stderr), args);
    }

    private static int execute(SimulatorCli command, String[] args) {
        PrintStream stdout = command.stdout;
        PrintStream stderr = command.stderr;
        CommandLine cli = new CommandLine(command);
        cli.setOut(new java.io.PrintWriter(stdout, true));
        cli.setErr(new java.io.PrintWriter(stderr, true));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                stderr.println("keel-sim: " + e.getMessage());
                return 64;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, args2) -> {
            stderr.println("keel-sim: " + e.getMessage());
            stderr.println("Try 'keel-sim --help'.");
            return 64;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        if (seeds != null && seed != null) {
            throw new IllegalArgumentException("give either --seeds or --seed, not both");
        }
        if (seeds != null && seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1");
        }
        EnumSet<FaultKind> kinds = FaultKind.parse(faults);
        OutputDirectory.check(out);
        new SimConfig(0, nodes, virtualSeconds, kinds, Mix.parse(mix)); // bad usage is found before any seed runs
        SeedStream list = seed != null ? SeedStream.of(parseSeed(seed)) : new SeedStream(firstSeed,
                seeds == null ? 100 : seeds);
        return runAll(list, kinds);
    }

    @Option(names = "--progress-seconds", defaultValue = "5",
            description = "A seed still running after this many wall seconds says so on stderr, and again every "
                    + "as many seconds: virtual time reached, events run (default ${DEFAULT-VALUE}).")
    double progressSeconds;

    @Option(names = "--threads", description = "Seeds simulated and checked at once, each on its own thread "
            + "(default: the machine's cores).")
    Integer threads;

    /** A finished seed: its result, and the run itself for a failure report. */
    private record Done(Simulation simulation, SimResult result) {
    }

    /**
     * Runs seeds on {@code --threads} threads, each simulating a seed and then checking its history (seeds are
     * independent, so results stay deterministic); results are reported in seed order. A seed's check takes a
     * fraction of its simulation now, so whole seeds in parallel use the cores better than simulating on one
     * thread while checking on another.
     */
    private int runAll(SeedStream list, EnumSet<FaultKind> kinds) throws IOException {
        int parallel = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (parallel < 1) {
            throw new IllegalArgumentException("--threads must be at least 1");
        }
        long started = System.nanoTime();
        long lastReport = started;
        long virtualMicros = 0;
        long simulationNanos = 0;
        int failures = 0;
        int staleSeeds = 0;
        int nonLinearizableSeeds = 0;
        Thread hook = summary.shutdownHook(stdout);
        if (summaryOnShutdown) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        ExecutorService workers = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "seed-runner");
            t.setDaemon(true);
            return t;
        });
        ArrayDeque<Future<Done>> results = new ArrayDeque<>();
        PriorityQueue<SimResult> slow = new PriorityQueue<>(Comparator.comparingLong(SimResult::checkNanos));
        long checkNanos = 0;
        long operations = 0;
        long infoOperations = 0;
        try {
            long done = 0;
            while (list.hasNext() || !results.isEmpty()) {
                if (list.hasNext() && results.size() < parallel + 1) {
                    SimConfig config = new SimConfig(list.nextLong(), nodes, virtualSeconds, kinds, Mix.parse(mix));
                    results.add(workers.submit(() -> {
                        Simulation simulation = new Simulation(config);
                        simulation.skipHistoryCheck = noHistoryCheck;
                        simulation.progress = new SeedProgress(config.seed(), (long) (progressSeconds * 1e9), stderr,
                                System::nanoTime);
                        simulation.simulateAndCheckState();
                        return new Done(simulation, simulation.checkHistory());
                    }));
                    continue;
                }
                Done finished = await(results.poll());
                SimResult result = finished.result();
                done++;
                virtualMicros += result.virtualMicros();
                simulationNanos += result.simulationNanos();
                if (finished.simulation().readSafety.violations() > 0) {
                    staleSeeds++;
                }
                if (result.linearizability().startsWith("not linearizable")) {
                    nonLinearizableSeeds++;
                }
                checkNanos += result.checkNanos();
                operations += result.operations();
                infoOperations += result.infoOperations();
                if (slowest > 0) {
                    slow.add(result);
                    if (slow.size() > slowest) {
                        slow.poll();
                    }
                }
                summary.record(result.config().seed(), result.passed());
                if (!result.passed()) {
                    failures++;
                    report(finished.simulation(), result);
                } else if (list.count() == 1) {
                    stdout.println("seed 0x" + Long.toHexString(result.config().seed()) + " passed: "
                            + result.detail());
                    stdout.println("  " + result.plan());
                    stdout.println("  trace hash 0x" + Long.toHexString(result.traceHash()));
                }
                long nowNanos = System.nanoTime();
                if (nowNanos - lastReport > 2_000_000_000L || done == list.count()) {
                    lastReport = nowNanos;
                    progress(done, list.count(), failures, virtualMicros, nowNanos - started, simulationNanos);
                }
            }
        } finally {
            workers.shutdownNow();
        }
        if (failures > 0 && list.count() > 1) {
            summary.print(stdout, "done");
        }
        summary.finish();
        if (slowest > 0) {
            stdout.println(String.format(Locale.ROOT,
                    "history checks: %.1f s in all; %d operations, %d indeterminate writes (%.2f%%)",
                    checkNanos / 1e9, operations, infoOperations, 100.0 * infoOperations / Math.max(1, operations)));
            List<SimResult> worst = new ArrayList<>(slow);
            worst.sort(Comparator.comparingLong(SimResult::checkNanos).reversed());
            for (SimResult r : worst) {
                stdout.println(String.format(Locale.ROOT, "  check %.2f s seed 0x%s: %d operations, %d indeterminate"
                                + " writes, %s; %s", r.checkNanos() / 1e9, Long.toHexString(r.config().seed()),
                        r.operations(), r.infoOperations(), r.linearizability(), r.plan()));
            }
        }
        if (Mix.parse(mix) == Mix.LEASE_BEYOND_BOUND) {
            stdout.println("lease reads beyond their clock bound: " + staleSeeds + " of " + list.count()
                    + " seeds served stale reads at a member; " + nonLinearizableSeeds
                    + " histories were not linearizable (expected here; counted, not failed)");
        }
        return failures == 0 ? 0 : 1;
    }

    private static <T> T await(Future<T> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking a history", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the history check failed to run: " + e.getCause(), e.getCause());
        }
    }

    private void progress(long done, long total, int failures, long virtualMicros, long wallNanos,
                          long simulationNanos) {
        double wallSeconds = wallNanos / 1e9;
        double ratio = virtualMicros / 1e6 / Math.max(wallSeconds, 1e-9);
        double simulationRatio = virtualMicros / 1e3 / Math.max(simulationNanos / 1e6, 1e-9);
        stdout.println(String.format(Locale.ROOT,
                "seeds %d/%d, failures %d, %.0f virtual s in %.1f wall s: %.0fx real time overall"
                        + " (simulation thread alone %.0fx), %.1f seeds/min",
                done, total, failures, virtualMicros / 1e6, wallSeconds, ratio, simulationRatio,
                done / wallSeconds * 60));
    }

    /**
     * Prints a failure and writes its files; a write that fails anyway (say, the disk filled up) is reported in
     * one line and the run goes on, so the seed and its replay command are never lost.
     */
    void report(Simulation simulation, SimResult result) {
        SimConfig c = result.config();
        String name = "seed-" + Long.toHexString(c.seed());
        stderr.println("FAILED seed 0x" + Long.toHexString(c.seed()) + ": " + result.failedCheck());
        stderr.println("  " + result.detail().replace("\n", "\n  "));
        stderr.println("  " + result.plan());
        stderr.println("  replay: " + c.replayCommand());
        try {
            writeFiles(simulation, name);
        } catch (IOException | RuntimeException e) {
            stderr.println("  keel-sim: could not write the failure's files to " + out + ": " + e);
        }
    }

    private void writeFiles(Simulation simulation, String name) throws IOException {
        Files.createDirectories(out);
        Path edn = out.resolve(name + ".edn");
        Files.writeString(edn, LinearizabilityCheck.edn(simulation.history), StandardCharsets.UTF_8);
        stderr.println("  history: " + edn);
        String html = LinearizabilityCheck.html(simulation.historyCheck, simulation.history);
        if (html != null) {
            Path page = out.resolve(name + ".html");
            Files.writeString(page, html, StandardCharsets.UTF_8);
            stderr.println("  report: " + page);
        }
    }

    static long parseSeed(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        try {
            return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed must be a number (decimal, or hex with 0x): " + text);
        }
    }

    /** @return {@code count} seeds derived from {@code first}; the same arguments give the same seeds */
    static long[] seedSequence(long first, int count) {
        SeedStream stream = new SeedStream(first, count);
        long[] seeds = new long[count];
        for (int i = 0; i < count; i++) {
            seeds[i] = stream.nextLong();
        }
        return seeds;
    }
}
