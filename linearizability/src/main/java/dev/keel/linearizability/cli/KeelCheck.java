package dev.keel.linearizability.cli;

import dev.keel.linearizability.edn.EdnException;
import dev.keel.linearizability.edn.EdnReader;
import dev.keel.linearizability.edn.Keyword;
import dev.keel.linearizability.model.Model;
import dev.keel.linearizability.model.Models;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keel-check}: checks Jepsen EDN histories for linearizability. For one file the last line printed is the
 * verdict; the exit code is 0 (linearizable), 1 (not linearizable), 2 (unknown: the time or memory budget ran
 * out) or 64 (bad usage or unreadable input, with a message saying what is wrong). Several files (or a directory
 * of them) are checked in one run, one result line each and a summary; the exit code is the most severe
 * outcome's ({@link Outcome}).
 */
@Command(name = "keel-check", mixinStandardHelpOptions = true, version = "keel-check 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true, exitCodeOnInvalidInput = KeelCheck.EXIT_USAGE,
        description = {"Checks Jepsen EDN histories for linearizability against a Knossos-style model.",
            "One history: prints the verdict as the last line: linearizable (exit 0), not linearizable (exit 1),"
                + " unknown (exit 2); exit 64 on bad usage or unreadable input.",
            "Several (or a directory of *.edn): one line per history as it finishes, then a summary; exits with"
                + " the worst outcome: 1 (a violation) over 70 and 64 (a history not checked) over 2 over 0."})
public final class KeelCheck implements Callable<Integer> {
    /** The exit code for bad usage and unreadable input (BSD's EX_USAGE). */
    public static final int EXIT_USAGE = 64;
    /** The exit code for a bug in keel-check itself (BSD's EX_SOFTWARE). */
    public static final int EXIT_INTERNAL = 70;

    @Option(names = "--model", defaultValue = "cas-register", paramLabel = "MODEL",
            description = "cas-register (default), register, mutex, multi-register or kv")
    private String model;

    @Option(names = "--init", paramLabel = "EDN",
            description = "the initial state as EDN, e.g. 0 or {:x 0 :y 0}; default nil (free for a mutex)")
    private String init;

    @Option(names = "--independent",
            description = "values are [key value] tuples (jepsen.independent): check each key separately")
    private boolean independent;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "answer unknown after this long, per history; 0 means no limit (default ${DEFAULT-VALUE})")
    private double timeoutSeconds;

    @Option(names = "--html", paramLabel = "REPORT.html|DIR",
            description = "if a history is not linearizable, write a timeline of the failure here (with several"
                    + " histories: an existing directory, one NAME.html per failing history); otherwise remove a"
                    + " report left there by an earlier run")
    private Path html;

    @Option(names = "--allow-empty",
            description = "accept a history with no client operations as linearizable (default: exit 64)")
    private boolean allowEmpty;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default), edn (a Knossos-style analysis map per history) or json (the same as"
                    + " JSON); edn and json print one result per line and nothing else on standard output")
    private String format;

    @Option(names = "--quiet", description = "no progress lines on standard error during long checks")
    private boolean quiet;

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "histories in Jepsen's EDN format, or directories of *.edn histories; - reads standard"
                    + " input")
    private List<String> files;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Where {@code -} as the file reads from. */
    private InputStream stdin = System.in;

    /** Runs progress lines; {@link Progress#REAL_TIME} except in tests. */
    private Progress.Scheduler scheduler = Progress.REAL_TIME;

    /** Runs keel-check and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /**
     * Runs keel-check without exiting, for tests and embedding.
     *
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, System.in, out, err);
    }

    /**
     * Runs keel-check without exiting, reading the history from {@code in} when a file argument is {@code -}.
     *
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        return run(args, in, out, err, Progress.REAL_TIME);
    }

    /** As {@link #run(String[], InputStream, PrintWriter, PrintWriter)}, with progress lines run by {@code scheduler}. */
    static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err, Progress.Scheduler scheduler) {
        KeelCheck command = new KeelCheck();
        command.stdin = in;
        command.scheduler = scheduler;
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(out);
        commandLine.setErr(err);
        // One line, not picocli's usage dump: the message says what is wrong, --help says the rest.
        commandLine.setParameterExceptionHandler((e, badArgs) -> {
            e.getCommandLine().getErr().println("keel-check: " + e.getMessage() + " (see keel-check --help)");
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            cl.getErr().println("keel-check: internal error: " + e);
            return EXIT_INTERNAL;
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            // Everything about the command line is checked now, not after a long check.
            ResultFormat chosenFormat = ResultFormat.named(format);
            Object initial = initialState();
            Model<?> chosen = chooseModel(initial);
            Duration limit = timeout();
            ResultMap maps = new ResultMap(modelEntry(initial));
            Progress.Scheduler progress = quiet ? null : scheduler;
            FileCheck.Settings settings = new FileCheck.Settings(chosen, allowEmpty, limit, 0,
                    Runtime.getRuntime().availableProcessors());
            if (Inputs.isBatch(files)) {
                BatchRun.Plan plan = plan(Inputs.expand(files));
                return new BatchRun(plan, settings, chosenFormat, maps, stdin, System::nanoTime)
                        .run(out, err, progress);
            }
            ReportFile report = html == null ? null : new ReportFile(html);
            if (report != null && report.problem() != null) {
                throw new UsageProblem(report.problem());
            }
            Input input = Inputs.expand(files).get(0);
            return new SingleRun(new FileCheck(settings, stdin), chosenFormat, maps)
                    .run(input, report, out, err, progress);
        } catch (UsageProblem | IllegalArgumentException problem) {
            err.println("keel-check: " + problem.getMessage());
            return EXIT_USAGE;
        }
    }

    private BatchRun.Plan plan(List<Input> inputs) {
        if (html == null) {
            return new BatchRun.Plan(inputs, null);
        }
        String problem = ReportNames.problem(html);
        if (problem != null) {
            throw new UsageProblem(problem);
        }
        return new BatchRun.Plan(inputs, ReportNames.assign(inputs, html));
    }

    private Object initialState() {
        try {
            return init == null ? null : EdnReader.readOne(init);
        } catch (EdnException e) {
            throw new UsageProblem("--init " + init + " is not an EDN value: " + e.getMessage());
        }
    }

    private Model<?> chooseModel(Object initial) {
        Model<?> chosen = Models.byName(model, initial);
        return independent ? Models.independent(chosen) : chosen;
    }

    /** @return the {@code :model} entry of machine-readable results */
    private Map<Keyword, Object> modelEntry(Object initial) {
        Map<Keyword, Object> entry = new LinkedHashMap<>();
        entry.put(Keyword.of("name"), model);
        entry.put(Keyword.of("init"), initial);
        entry.put(Keyword.of("independent"), independent);
        return entry;
    }

    private Duration timeout() {
        if (!(timeoutSeconds >= 0) || Double.isInfinite(timeoutSeconds)) {
            throw new UsageProblem("--timeout must be a number of seconds, 0 or more, not " + timeoutSeconds);
        }
        long nanos = (long) (timeoutSeconds * 1e9);
        // A positive timeout too small to count in nanoseconds is still a limit, not "no limit".
        return Duration.ofNanos(timeoutSeconds > 0 ? Math.max(1, nanos) : 0);
    }
}
