package dev.keel.linearizability.cli;

import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.search.CheckResult;
import java.util.Locale;

/** How {@code --format} prints each history's result: a line for people, an EDN map, or a JSON object. */
enum ResultFormat {
    TEXT, EDN, JSON;

    /** @throws UsageProblem for a name that is not a format */
    static ResultFormat named(String name) {
        for (ResultFormat format : values()) {
            if (format.name().toLowerCase(Locale.ROOT).equals(name)) {
                return format;
            }
        }
        throw new UsageProblem("--format must be text, edn or json, not " + name);
    }

    /** @return the result as one line: for text prefixed by the input, for EDN and JSON the analysis map */
    String line(Checked checked, ResultMap maps) {
        switch (this) {
            case EDN: return EdnWriter.write(maps.of(checked));
            case JSON: return Json.write(maps.of(checked));
            default: return text(checked);
        }
    }

    /** @return e.g. {@code h.edn: not linearizable (key 3): p2 :read nil → ok 2 @[5,7] cannot be linearized; ...} */
    private static String text(Checked checked) {
        String head = checked.input().label() + ": ";
        CheckResult result = checked.result();
        if (result == null) {
            return head + (checked.outcome() == Outcome.UNREADABLE ? "unreadable: " : "") + checked.detail();
        }
        StringBuilder line = new StringBuilder(head).append(result.verdict().text());
        if (result.reason() != null) {
            line.append(": ").append(result.reason());
        }
        result.counterexample().ifPresentOrElse(c -> {
            line.append(c.key() == null ? "" : " (key " + EdnWriter.write(c.key()) + ")").append(": ")
                    .append(c.blocked()).append(" cannot be linearized; ").append(c.completedLinearized())
                    .append(" of ").append(c.completedTotal()).append(" completed operations linearized; ")
                    .append(result.elapsed().toMillis()).append(" ms");
            if (checked.report() != null) {
                line.append("; ").append(checked.report());
            }
        }, () -> {
            if (checked.history() != null) {
                line.append(" (").append(checked.history().size()).append(" operations, ")
                        .append(result.elapsed().toMillis()).append(" ms)");
            }
        });
        if (checked.reportProblem() != null) {
            line.append("; ").append(checked.reportProblem());
        }
        return line.toString();
    }
}
