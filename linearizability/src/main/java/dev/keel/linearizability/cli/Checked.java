package dev.keel.linearizability.cli;

import dev.keel.linearizability.history.History;
import dev.keel.linearizability.search.CheckResult;

/**
 * One history's result, as the printers need it.
 *
 * @param input         what was checked
 * @param outcome       the verdict, or why there is none
 * @param history       the operations read, or {@code null} if reading failed or ran out of memory
 * @param result        the checker's result, or {@code null} if the history was not checked
 * @param message       for {@link Outcome#UNREADABLE} and {@link Outcome#INTERNAL_ERROR}: the one-line error as a
 *                      single-file run prints it (naming the input); else {@code null}
 * @param detail        the same without the input's name, for lines that already start with it
 * @param report        what became of the HTML report ("report: PATH" or "report: none written ..."), or
 *                      {@code null} without --html
 * @param reportProblem why the report could not be written, or {@code null}
 */
record Checked(Input input, Outcome outcome, History history, CheckResult result, String message, String detail,
        String report, String reportProblem) {
    static Checked failed(Input input, Outcome outcome, String message, String detail) {
        return new Checked(input, outcome, null, null, message, detail, null, null);
    }

    Checked withReport(String reportPath, String problem) {
        return new Checked(input, outcome, history, result, message, detail, reportPath, problem);
    }
}
