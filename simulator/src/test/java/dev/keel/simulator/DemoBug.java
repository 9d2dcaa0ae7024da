package dev.keel.simulator;

import dev.keel.linearizability.report.Headline;
import dev.keel.linearizability.search.CheckResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code bin/keel-sim --demo-bug NAME}: watch the simulator catch one of the classic Raft bugs of
 * {@link BugCases}. It injects the bug, runs the case's seeds with progress, and tells the story of the seed that
 * caught it: which check failed and why, where the EDN history and the HTML report are, and how to replay it.
 * Lives in the simulator's test sources, beside the kernel's test-jar bug injector, so no production path holds
 * the hazards. Exits 0 when the bug is caught (the demo worked), 1 when no seed caught it within the bound, 64 on
 * bad usage.
 */
public final class DemoBug {
    static final int CAUGHT = 0;
    static final int MISSED = 1;
    static final int USAGE = 64;
    /** Seeds printed one by one before progress thins out to every {@link #PROGRESS_EVERY}th. */
    private static final int SEEDS_LISTED = 20;
    private static final int PROGRESS_EVERY = 25;
    static final String USAGE_LINE = "usage: bin/keel-sim --demo-bug NAME|list [--seed S] [--out DIR]";

    private final PrintStream out;
    private final PrintStream err;

    DemoBug(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the demo and exits with its code. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(new DemoBug(out, err).run(args));
    }

    /** @return the exit code: {@link #CAUGHT}, {@link #MISSED} or {@link #USAGE} */
    int run(String[] args) {
        String bug = null;
        Long seed = null;
        Path dir = Path.of("sim-failures");
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--demo-bug" -> bug = required(args[i], value);
                    case "--seed" -> seed = SimulatorCli.parseSeed(required(args[i], value));
                    case "--out" -> dir = Path.of(required(args[i], value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (the demo takes --demo-bug, --seed and --out)");
                }
                i++;
            }
            if (bug == null) {
                throw new IllegalArgumentException("--demo-bug needs a bug name, or list");
            }
        } catch (IllegalArgumentException e) {
            err.println("keel-sim: " + e.getMessage() + "; " + USAGE_LINE);
            return USAGE;
        }
        if (bug.equals("list")) {
            list();
            return CAUGHT;
        }
        String name = bug;
        BugCases.Case c = BugCases.named(name).orElse(null);
        if (c == null) {
            err.println("keel-sim: unknown bug '" + name + "'; bin/keel-sim --demo-bug list shows the "
                    + BugCases.CASES.size() + " there are");
            return USAGE;
        }
        return hunt(c, seed == null ? c.seeds() : new long[] {seed}, dir);
    }

    private void list() {
        out.println("Bugs the simulator can be shown to catch (bin/keel-sim --demo-bug NAME):");
        for (BugCases.Case c : BugCases.CASES) {
            out.println(String.format(Locale.ROOT, "  %-29s %s", c.bug(), c.breaks()));
        }
    }

    private int hunt(BugCases.Case c, long[] seeds, Path dir) {
        out.println("Injecting " + c.bug() + (c.bug().equals(BugCases.ACK_BEFORE_PERSIST) ? " into every node's disk"
                : " into every node's Raft kernel") + ": " + c.breaks() + ".");
        out.println(String.format(Locale.ROOT, "Running %s: %d nodes, %d virtual seconds each, faults %s.",
                seeds.length == 1 ? "one seed" : "up to " + seeds.length + " seeds", c.nodes(), c.virtualSeconds(),
                c.faults()));
        long start = System.nanoTime();
        for (int i = 0; i < seeds.length; i++) {
            Simulation sim = c.simulation(seeds[i]);
            SimResult result = sim.run();
            if (!result.passed()) {
                out.println(String.format(Locale.ROOT, "  seed %d/%d 0x%s: FAILED %s", i + 1, seeds.length,
                        Long.toHexString(seeds[i]), result.failedCheck()));
                story(c, sim, result, i + 1, dir);
                return CAUGHT;
            }
            if (i < SEEDS_LISTED || (i + 1) % PROGRESS_EVERY == 0) {
                out.println(String.format(Locale.ROOT, "  seed %d/%d 0x%s: passed (%d operations, %.1f s so far)",
                        i + 1, seeds.length, Long.toHexString(seeds[i]), result.operations(),
                        (System.nanoTime() - start) / 1e9));
            }
        }
        out.println("Not caught: " + (seeds.length == 1 ? "this seed passed" : "none of the " + seeds.length
                + " seeds caught it") + ". The simulator missed the bug; run mvn -B verify -pl simulator"
                + " -Dtest=BugDetectionTest to see whether its detection regressed.");
        return MISSED;
    }

    private void story(BugCases.Case c, Simulation sim, SimResult result, int tried, Path dir) {
        long seed = result.config().seed();
        out.println("Caught " + c.bug() + " with seed 0x" + Long.toHexString(seed) + " after " + tried
                + (tried == 1 ? " seed" : " seeds") + ": the " + result.failedCheck() + " check failed.");
        out.println("Why: " + why(sim, result));
        try {
            Files.createDirectories(dir);
            String name = "seed-" + Long.toHexString(seed);
            Path edn = dir.resolve(name + ".edn");
            Files.writeString(edn, LinearizabilityCheck.edn(sim.history), StandardCharsets.UTF_8);
            out.println("History (Jepsen EDN, for keel-check, Knossos or Porcupine): " + edn);
            // Another check may have stopped the run before the history was judged: judge it now, for the report.
            CheckResult check = sim.historyCheck != null ? sim.historyCheck : LinearizabilityCheck.run(sim.history);
            String html = LinearizabilityCheck.html(check, sim.history);
            if (html == null) {
                out.println("Report: none; the clients' history up to the failure is "
                        + LinearizabilityCheck.describe(check) + " (the " + result.failedCheck()
                        + " check sees inside the cluster, the linearizability checker only what clients saw)");
            } else {
                if (sim.historyCheck == null) {
                    out.println("The linearizability checker agrees: "
                            + Headline.of(check.counterexample().get(), "kv"));
                }
                out.println("Report (open it in a browser): " + write(dir, name, html));
            }
        } catch (IOException | RuntimeException e) {
            err.println("keel-sim: could not write the failure's files to " + dir + ": " + e
                    + "; replay the seed with --out pointing to a writable directory");
        }
        out.println("Replay: bin/keel-sim --demo-bug " + c.bug() + " --seed 0x" + Long.toHexString(seed));
    }

    private static Path write(Path dir, String name, String html) throws IOException {
        Path page = dir.resolve(name + ".html");
        Files.writeString(page, html, StandardCharsets.UTF_8);
        return page;
    }

    /** @return one sentence on why the check failed: the checker's headline for a history, else the check's own */
    private static String why(Simulation sim, SimResult result) {
        if (sim.historyCheck != null && sim.historyCheck.counterexample().isPresent()) {
            return Headline.of(sim.historyCheck.counterexample().get(), "kv");
        }
        String first = result.detail().split("\n")[0];
        return first.length() > 300 ? first.substring(0, 300) + "..." : first;
    }

    private static String required(String option, String value) {
        if (value == null || value.startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
