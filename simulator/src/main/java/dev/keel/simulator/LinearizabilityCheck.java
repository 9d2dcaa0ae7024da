package dev.keel.simulator;

import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.JepsenEdn;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.model.Models;
import dev.keel.linearizability.report.HtmlReport;
import dev.keel.linearizability.search.Budget;
import dev.keel.linearizability.search.CheckResult;
import dev.keel.linearizability.search.Verdict;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hands a run's client history to the {@code linearizability} module's checker with the {@code kv} model,
 * key by key (Jepsen's independent convention: every value is a {@code [key value]} tuple).
 */
final class LinearizabilityCheck {
    static final String LINEARIZABLE = Verdict.LINEARIZABLE.text();
    /** Per-history budget; a history that needs more is reported as unknown, not passed. */
    static final Duration BUDGET = Duration.ofSeconds(Long.getLong("keel.sim.checkSeconds", 60));

    private LinearizabilityCheck() {
    }

    /** @return the verdict's text, with the failing window for a non-linearizable history */
    static String describe(CheckResult result) {
        if (result.verdict() == Verdict.NOT_LINEARIZABLE) {
            String window = result.counterexample().map(Object::toString).orElse("");
            int at = window.indexOf("window=");
            String summary = at >= 0 ? window.substring(at) : window;
            return result.verdict().text() + ": " + (summary.length() > 2000 ? summary.substring(0, 2000) + "..."
                    : summary);
        }
        if (result.verdict() == Verdict.UNKNOWN) {
            return result.verdict().text() + " (" + result.reason() + ")";
        }
        return result.verdict().text();
    }

    static CheckResult run(HistoryRecorder recorded) {
        return dev.keel.linearizability.search.Checker.check(toHistory(recorded), Models.kv(null),
                Budget.of(BUDGET), 1);
    }

    static History toHistory(HistoryRecorder recorded) {
        List<Operation> ops = new ArrayList<>(recorded.size());
        for (HistoryRecorder.Op op : recorded.ops) {
            OpType type = op.type.equals("ok") ? OpType.OK : op.type.equals("fail") ? OpType.FAIL : OpType.INFO;
            if (type != OpType.OK && op.f.equals("get")) {
                continue; // a read that failed or never answered changed nothing and constrains nothing
            }
            long completed = type == OpType.INFO ? Operation.NEVER : op.completeTime;
            ops.add(new Operation(op.process, op.f, tuple(op.key, op.input),
                    type == OpType.INFO ? null : tuple(op.key, op.output), type, op.invokeTime, completed, null));
        }
        return History.of(ops);
    }

    /** @return the history as Jepsen EDN, for re-checking with Knossos or Porcupine */
    static String edn(HistoryRecorder recorded) {
        return JepsenEdn.write(toHistory(recorded));
    }

    /**
     * @return the checker's HTML report of the failure, every key of the history selectable in it, or null if
     *     there is no failure to show
     */
    static String html(CheckResult result, HistoryRecorder recorded) {
        return result == null ? null : result.counterexample()
                .map(c -> HtmlReport.render(c, "kv", toHistory(recorded))).orElse(null);
    }

    private static List<Object> tuple(int key, Object value) {
        return Arrays.asList((long) key, value);
    }
}
