package dev.keel.linearizability.cli;

import dev.keel.linearizability.search.CheckResult;
import java.io.PrintWriter;

/**
 * Checks one history and prints it as keel-check always has: what was found, then the verdict as the last line
 * (or, with {@code --format edn|json}, the one result map); errors go to standard error as one line.
 */
final class SingleRun {
    private final FileCheck check;
    private final ResultFormat format;
    private final ResultMap maps;

    SingleRun(FileCheck check, ResultFormat format, ResultMap maps) {
        this.check = check;
        this.format = format;
        this.maps = maps;
    }

    /**
     * @param report   where the HTML report goes, or {@code null}
     * @param progress runs progress lines, or {@code null} for none
     * @return the exit code
     */
    int run(Input input, ReportFile report, PrintWriter out, PrintWriter err, Progress.Scheduler progress) {
        FileProgress fileProgress = new FileProgress(System::nanoTime);
        Checked checked;
        try (Progress reporter = progress == null ? Progress.NONE
                : Progress.start(progress, err, fileProgress::describe, System::nanoTime)) {
            checked = check.check(input, report, fileProgress);
        }
        if (checked.message() != null) {
            err.println("keel-check: " + checked.message());
            if (format != ResultFormat.TEXT) {
                out.println(format.line(checked, maps)); // every input gets its result, even an unreadable one
            }
            return checked.outcome().exitCode();
        }
        if (format != ResultFormat.TEXT) {
            out.println(format.line(checked, maps));
        } else {
            printText(checked, out);
        }
        if (checked.reportProblem() != null) {
            out.flush(); // the verdict first: a failed report never hides it, nor changes the exit code
            err.println("keel-check: " + checked.reportProblem());
        }
        return checked.outcome().exitCode();
    }

    private void printText(Checked checked, PrintWriter out) {
        CheckResult result = checked.result();
        if (checked.history() == null) {
            out.println("stopped: " + result.reason()); // out of memory: nothing else is known
        } else {
            new VerdictPrinter(out).print(checked.history(), check.model(), result);
            if (checked.report() != null) {
                out.println(checked.report());
            }
        }
        out.println(result.verdict().text());
    }
}
