package dev.keel.linearizability.cli;

import dev.keel.linearizability.edn.EdnException;
import dev.keel.linearizability.edn.EdnReader;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.HistorySource;
import dev.keel.linearizability.history.InvalidHistoryException;
import dev.keel.linearizability.history.JepsenEdn;
import dev.keel.linearizability.model.Model;
import dev.keel.linearizability.model.Models;
import dev.keel.linearizability.search.Budget;
import dev.keel.linearizability.search.CheckResult;
import dev.keel.linearizability.search.Checker;
import dev.keel.linearizability.search.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keel-check}: checks a Jepsen EDN history for linearizability. The last line printed is the verdict;
 * the exit code is 0 (linearizable), 1 (not linearizable), 2 (unknown: the time or memory budget ran out) or
 * 64 (bad usage or unreadable input, with a message saying what is wrong).
 */
@Command(name = "keel-check", mixinStandardHelpOptions = true, version = "keel-check 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true, exitCodeOnInvalidInput = KeelCheck.EXIT_USAGE,
        description = {"Checks a Jepsen EDN history for linearizability against a Knossos-style model.",
            "Prints the verdict as the last line: linearizable (exit 0), not linearizable (exit 1), unknown (exit 2);"
                + " exit 64 on bad usage or unreadable input."})
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
            description = "answer unknown after this long; 0 means no limit (default ${DEFAULT-VALUE})")
    private double timeoutSeconds;

    @Option(names = "--html", paramLabel = "REPORT.html",
            description = "if the history is not linearizable, write a timeline of the failure here;"
                    + " otherwise remove a report left here by an earlier run")
    private Path html;

    @Option(names = "--allow-empty",
            description = "accept a history with no client operations as linearizable (default: exit 64)")
    private boolean allowEmpty;

    @Parameters(index = "0", paramLabel = "HISTORY.edn",
            description = "the history, in Jepsen's EDN format; - reads standard input")
    private Path historyFile;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The history as read, kept to name file lines in problems found later. */
    private HistorySource source;

    /** What keel-check is doing, for the message if it runs out of memory. */
    private String stage = "starting";

    /** Where {@code -} as the file reads from. */
    private InputStream stdin = System.in;

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
     * Runs keel-check without exiting, reading the history from {@code in} when the file argument is {@code -}.
     *
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        KeelCheck command = new KeelCheck();
        command.stdin = in;
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
        try {
            Model<?> chosen = chooseModel();
            ReportFile report = html == null ? null : new ReportFile(html);
            if (report != null && report.problem() != null) {
                throw new UsageProblem(report.problem()); // found now, not after a long check
            }
            stage = "reading " + inputName();
            History history = readHistory();
            if (history.size() == 0 && !allowEmpty) {
                return EXIT_USAGE; // a silent pass on a file that holds nothing to check would mislead
            }
            Duration limit = timeout();
            Budget budget = limit.isZero() ? Budget.unlimitedTime() : Budget.of(limit);
            stage = "checking";
            CheckResult result = check(history, chosen, budget);
            stage = "reporting";
            new VerdictPrinter(out).print(history, chosen, result);
            String reportProblem = null;
            if (report != null) {
                try {
                    out.println(report.update(result, chosen.name()));
                } catch (IOException e) {
                    reportProblem = "cannot write the report to " + html + ": " + describe(e);
                }
            }
            out.println(result.verdict().text());
            if (reportProblem != null) {
                out.flush(); // the verdict first: a failed report never hides it, nor changes the exit code
                spec.commandLine().getErr().println("keel-check: " + reportProblem);
            }
            return result.verdict().exitCode();
        } catch (UsageProblem | IllegalArgumentException problem) {
            spec.commandLine().getErr().println("keel-check: " + problem.getMessage());
            return EXIT_USAGE;
        } catch (OutOfMemoryError e) {
            // The history and the search are unreachable now, so there is room again to say what happened.
            source = null;
            out.println("stopped: out of memory while " + stage + " (the heap holds at most "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; give more with KEEL_CHECK_JAVA_OPTS=-Xmx...)");
            out.println(Verdict.UNKNOWN.text());
            return Verdict.UNKNOWN.exitCode();
        }
    }

    private Model<?> chooseModel() {
        Object initial;
        try {
            initial = init == null ? null : EdnReader.readOne(init);
        } catch (EdnException e) {
            throw new UsageProblem("--init " + init + " is not an EDN value: " + e.getMessage());
        }
        Model<?> chosen = Models.byName(model, initial);
        return independent ? Models.independent(chosen) : chosen;
    }

    private History readHistory() {
        try {
            source = readsStdin() ? JepsenEdn.readSource(new InputStreamReader(stdin, strictUtf8()))
                    : readFile();
        } catch (IOException e) {
            throw new UsageProblem("cannot read " + inputName() + ": " + describe(e));
        } catch (UncheckedIOException e) {
            throw new UsageProblem("cannot read " + inputName() + ": " + describe(e.getCause()));
        } catch (EdnException | IllegalArgumentException e) {
            throw new UsageProblem(inputName() + ": " + e.getMessage());
        }
        if (source.history().size() == 0 && !allowEmpty) {
            warnEmpty(source);
        }
        return source.history();
    }

    /** Streams the file: a history of hundreds of megabytes is never in memory as one string. */
    private HistorySource readFile() throws IOException {
        try (Reader in = new InputStreamReader(Files.newInputStream(historyFile), strictUtf8())) {
            return JepsenEdn.readSource(in);
        }
    }

    /** A decoder that rejects bytes that are not UTF-8 rather than silently replacing them. */
    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** @return the input's name for messages */
    private String inputName() {
        return readsStdin() ? "standard input" : historyFile.toString();
    }

    private boolean readsStdin() {
        return historyFile.toString().equals("-");
    }

    private void warnEmpty(HistorySource source) {
        String what = source.events() == 0 ? "no operations"
                : "no client operations: all " + source.events() + " events have a :process that is not an integer"
                        + " (such as :nemesis), which keel-check ignores";
        spec.commandLine().getErr().println("keel-check: warning: " + inputName() + " has " + what
                + "; nothing to check (pass --allow-empty to accept it as linearizable)");
    }

    private CheckResult check(History history, Model<?> chosen, Budget budget) {
        try {
            return Checker.check(history, chosen, budget);
        } catch (InvalidHistoryException e) {
            throw new UsageProblem(inputName() + ": " + locate(e)); // an operation the model cannot read
        }
    }

    /** @return the problem located by the file lines of the operation at fault, as a person looks for it */
    private String locate(InvalidHistoryException e) {
        String where = e.operation().map(source::where).orElse(null);
        return where == null ? e.getMessage() : where + e.context() + ": " + e.problem();
    }

    private Duration timeout() {
        if (!(timeoutSeconds >= 0) || Double.isInfinite(timeoutSeconds)) {
            throw new UsageProblem("--timeout must be a number of seconds, 0 or more, not " + timeoutSeconds);
        }
        long nanos = (long) (timeoutSeconds * 1e9);
        // A positive timeout too small to count in nanoseconds is still a limit, not "no limit".
        return Duration.ofNanos(timeoutSeconds > 0 ? Math.max(1, nanos) : 0);
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.MalformedInputException) {
            return "not UTF-8 text";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** A problem with the command line or the input, reported as one line and exit code 64. */
    private static final class UsageProblem extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageProblem(String message) {
            super(message);
        }
    }
}
