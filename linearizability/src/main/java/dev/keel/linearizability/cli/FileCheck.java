package dev.keel.linearizability.cli;

import dev.keel.linearizability.edn.EdnException;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.HistorySource;
import dev.keel.linearizability.history.InvalidHistoryException;
import dev.keel.linearizability.history.JepsenEdn;
import dev.keel.linearizability.model.Model;
import dev.keel.linearizability.search.Budget;
import dev.keel.linearizability.search.CheckResult;
import dev.keel.linearizability.search.Checker;
import dev.keel.linearizability.search.Verdict;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads and checks one history, turning every way that can end into a {@link Checked}: a verdict, an unreadable
 * input (one line saying what is wrong, naming the file line), running out of memory (unknown), or a bug.
 * Safe to use from several threads at once, one history each.
 */
final class FileCheck {
    /**
     * @param model       the model to check against
     * @param allowEmpty  whether a history with no client operations passes
     * @param timeout     per history; zero means no limit
     * @param memoryBytes the search caches' budget per history, or 0 for the default (half the heap)
     * @param parallelism threads per history's search
     */
    record Settings(Model<?> model, boolean allowEmpty, Duration timeout, long memoryBytes, int parallelism) {
    }

    private final Settings settings;
    private final InputStream stdin;

    FileCheck(Settings settings, InputStream stdin) {
        this.settings = settings;
        this.stdin = stdin;
    }

    /**
     * Checks one history, telling {@code progress} how far it got; never throws for bad input.
     *
     * @param report where its HTML report goes, or {@code null} for none
     */
    Checked check(Input input, ReportFile report, FileProgress progress) {
        try {
            return readAndCheck(input, report, progress);
        } catch (OutOfMemoryError e) {
            // The history and the search are unreachable now, so there is room again to say what happened.
            String reason = "out of memory while " + progress.stage() + " (the heap holds at most "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; give more with KEEL_CHECK_JAVA_OPTS=-Xmx...)";
            CheckResult unknown = new CheckResult(Verdict.UNKNOWN, Optional.empty(), reason, 0, 0, 0,
                    Duration.ofNanos(progress.elapsedNanos()));
            return new Checked(input, Outcome.UNKNOWN, null, unknown, null, null, null, null);
        } catch (UsageProblem problem) {
            return Checked.failed(input, Outcome.UNREADABLE, problem.getMessage(), detail(problem, input));
        } catch (RuntimeException | StackOverflowError e) {
            // A bug in keel-check: this history's result says so, and a batch goes on with the others.
            return Checked.failed(input, Outcome.INTERNAL_ERROR, "internal error: " + e, "internal error: " + e);
        }
    }

    Model<?> model() {
        return settings.model;
    }

    private Checked readAndCheck(Input input, ReportFile report, FileProgress progress) {
        progress.stage("reading " + input.name());
        HistorySource source = read(input, progress);
        History history = source.history();
        if (history.size() == 0 && !settings.allowEmpty) {
            String what = whatIsEmpty(source);
            return Checked.failed(input, Outcome.UNREADABLE, "warning: " + input.name() + " has " + what
                    + "; nothing to check (pass --allow-empty to accept it as linearizable)",
                    "has " + what + "; nothing to check (pass --allow-empty to accept it as linearizable)");
        }
        Budget budget = settings.timeout.isZero() ? Budget.unlimitedTime() : Budget.of(settings.timeout);
        if (settings.memoryBytes > 0) {
            budget = budget.withMemory(settings.memoryBytes);
        }
        progress.checking(history.size());
        CheckResult result;
        try {
            result = Checker.check(history, settings.model, budget, settings.parallelism, progress.search());
        } catch (InvalidHistoryException e) {
            throw new UsageProblem(input.name() + ": " + locate(source, e)); // an operation the model cannot read
        }
        progress.stage("reporting");
        Checked checked = new Checked(input, Outcome.of(result.verdict()), history, result, null, null, null, null);
        if (report == null) {
            return checked;
        }
        try {
            return checked.withReport(report.update(result, settings.model.name(), history), null);
        } catch (IOException e) {
            return checked.withReport(null, "cannot write the report to " + report.path() + ": " + describe(e));
        }
    }

    private HistorySource read(Input input, FileProgress progress) {
        try (InputStream counted = new CountingStream(open(input), progress, !input.isStdin())) {
            if (!input.isStdin()) {
                progress.reading(Files.size(input.path()));
            }
            // Streamed: a history of hundreds of megabytes is never in memory as one string.
            Reader in = new InputStreamReader(counted, strictUtf8());
            return JepsenEdn.readSource(in, progress::eventsRead);
        } catch (IOException e) {
            throw new UsageProblem("cannot read " + input.name() + ": " + describe(e));
        } catch (UncheckedIOException e) {
            throw new UsageProblem("cannot read " + input.name() + ": " + describe(e.getCause()));
        } catch (EdnException | IllegalArgumentException e) {
            throw new UsageProblem(input.name() + ": " + e.getMessage());
        }
    }

    private InputStream open(Input input) throws IOException {
        return input.isStdin() ? stdin : Files.newInputStream(input.path());
    }

    /** A decoder that rejects bytes that are not UTF-8 rather than silently replacing them. */
    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static String whatIsEmpty(HistorySource source) {
        return source.events() == 0 ? "no operations"
                : "no client operations: all " + source.events() + " events have a :process that is not an integer"
                        + " (such as :nemesis), which keel-check ignores";
    }

    /** @return the problem located by the file lines of the operation at fault, as a person looks for it */
    private static String locate(HistorySource source, InvalidHistoryException e) {
        String where = e.operation().map(source::where).orElse(null);
        return where == null ? e.getMessage() : where + e.context() + ": " + e.problem();
    }

    /** @return the problem's message without the input's name, for lines that start with it */
    private static String detail(UsageProblem problem, Input input) {
        String message = problem.getMessage();
        String cannotRead = "cannot read " + input.name() + ": ";
        if (message.startsWith(cannotRead)) {
            return message.substring(cannotRead.length());
        }
        String named = input.name() + ": ";
        return message.startsWith(named) ? message.substring(named.length()) : message;
    }

    static String describe(Exception e) {
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

    /** Counts the bytes read, for progress on big files; leaves standard input open. */
    private static final class CountingStream extends FilterInputStream {
        private final FileProgress progress;
        private final boolean closes;

        CountingStream(InputStream in, FileProgress progress, boolean closes) {
            super(in);
            this.progress = progress;
            this.closes = closes;
        }

        @Override
        public void close() throws IOException {
            if (closes) {
                super.close();
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.bytesRead(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                progress.bytesRead(n);
            }
            return n;
        }
    }
}
