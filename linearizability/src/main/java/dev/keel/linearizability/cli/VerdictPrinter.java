package dev.keel.linearizability.cli;

import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.model.Model;
import dev.keel.linearizability.search.CheckResult;
import dev.keel.linearizability.search.Counterexample;
import java.io.PrintWriter;
import java.util.List;

/** Prints what keel-check found, above the verdict line: sizes, and for a failure the window and the states. */
final class VerdictPrinter {
    /** Operations of the linearization printed before the window; the HTML report shows more. */
    private static final int PREFIX_SHOWN = 5;

    private final PrintWriter out;

    VerdictPrinter(PrintWriter out) {
        this.out = out;
    }

    void print(History history, Model<?> model, CheckResult result) {
        out.printf("history: %d operations; model: %s; %d part%s, %d decided; %d states cached; %d ms%n",
                history.size(), model.name(), result.parts(), result.parts() == 1 ? "" : "s", result.partsDecided(),
                result.cachedStates(), result.elapsed().toMillis());
        if (result.reason() != null) {
            out.println("stopped: " + result.reason());
        }
        result.counterexample().ifPresent(this::printCounterexample);
    }

    private void printCounterexample(Counterexample c) {
        if (c.key() != null) {
            out.println("key: " + EdnWriter.write(c.key()));
        }
        out.printf("longest linearization found: %d of %d completed operations%n", c.completedLinearized(),
                c.completedTotal());
        List<Operation> prefix = c.linearized();
        for (Operation op : prefix.subList(Math.max(0, prefix.size() - PREFIX_SHOWN), prefix.size())) {
            out.println("  " + op);
        }
        out.println("failing window: none of these can be linearized next"
                + " (* marks the one that must complete first):");
        for (Operation op : c.window()) {
            out.println((op == c.blocked() ? "* " : "  ") + op);
        }
        out.println("states the model could be in just before the window:");
        for (String state : c.states()) {
            out.println("  " + state);
        }
    }
}
