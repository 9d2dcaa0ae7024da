package dev.keel.linearizability.report;

import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.search.Counterexample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The operations a report embeds, as compact JSON for its script: one array per operation, so a page stays a few
 * tens of bytes per operation. What is embedded is capped by a stated rule: the failing key's operations in full
 * (up to {@link #FAILING_CAP}, else those nearest the failing operation), and of the other keys the
 * {@link #OTHER_CAP} operations invoked closest in time to the failing operation.
 */
final class ReportData {
    /** The failing part's operations embedded at most: all of them for any history a browser can draw. */
    static final int FAILING_CAP = 100_000;
    /** Operations of the other keys embedded at most, for context. */
    static final int OTHER_CAP = 20_000;

    /** Bar kinds, as the script numbers them. */
    private static final int OTHER = 0;
    private static final int LINEARIZED = 1;
    private static final int WINDOW = 2;
    private static final int BLOCKED = 3;

    private final Counterexample c;
    private final History whole;
    private final Map<Object, Integer> keyIndex = new LinkedHashMap<>();
    private String note;

    /**
     * @param c     the failure
     * @param whole the whole history when the failing part is one key of it (for the other keys), else {@code null}
     */
    ReportData(Counterexample c, History whole) {
        this.c = c;
        this.whole = c.key() == null ? null : whole;
    }

    /** @return a JSON object safe to place inside a {@code <script>} element */
    String json(String modelName, String headline) {
        List<Operation> failing = nearest(c.part().operations(), FAILING_CAP);
        List<Operation> others = whole == null ? List.of() : nearest(otherKeys(), OTHER_CAP);
        keyIndex.put(c.key(), 0);
        for (Operation op : others) {
            keyIndex.putIfAbsent(keyOf(op), keyIndex.size());
        }
        describeCaps(failing.size(), others.size());
        StringBuilder json = new StringBuilder(64 * (failing.size() + others.size()) + 4096);
        json.append("{\"model\":").append(string(modelName)).append(",\"headline\":").append(string(headline))
                .append(",\"note\":").append(string(note)).append(",\"failingKey\":")
                .append(c.key() == null ? "null" : string(EdnWriter.write(c.key())))
                .append(",\"completedLinearized\":").append(c.completedLinearized())
                .append(",\"completedTotal\":").append(c.completedTotal())
                .append(",\"linearizedTotal\":").append(c.linearized().size())
                .append(",\"states\":").append(strings(c.states())).append(",\"keys\":[");
        int k = 0;
        for (Object key : keyIndex.keySet()) {
            json.append(k++ == 0 ? "" : ",").append(string(key == null ? "" : EdnWriter.write(key)));
        }
        json.append("],\"ops\":[");
        Map<Operation, Integer> linearizedAt = positions(c.linearized());
        Map<Operation, Integer> window = positions(c.window());
        boolean first = true;
        for (Operation op : failing) {
            first = op(json.append(first ? "" : ","), op, 0, op.input(), op.output(), linearizedAt, window);
        }
        for (Operation op : others) {
            op(json.append(","), op, keyIndex.get(keyOf(op)), valueOf(op.input()), valueOf(op.output()), Map.of(),
                    Map.of());
        }
        return json.append("]}").toString();
    }

    private boolean op(StringBuilder json, Operation op, int key, Object input, Object output,
            Map<Operation, Integer> linearizedAt, Map<Operation, Integer> window) {
        Integer lin = linearizedAt.get(op);
        int kind = op == c.blocked() ? BLOCKED : window.containsKey(op) ? WINDOW : lin != null ? LINEARIZED : OTHER;
        String after = lin == null ? null : c.stateAfter(lin);
        json.append('[').append(key).append(',').append(op.process()).append(',').append(op.invokeTime())
                .append(',').append(op.completed() ? op.completeTime() : -1).append(',')
                .append(op.type() == OpType.OK ? 0 : op.type() == OpType.FAIL ? 1 : 2).append(',').append(kind)
                .append(',').append(string(op.f())).append(',').append(string(EdnWriter.write(input))).append(',')
                .append(op.completed() && op.type() != OpType.INFO ? string(EdnWriter.write(output)) : "null")
                .append(',').append(lin == null ? -1 : lin).append(',').append(after == null ? "null" : string(after))
                .append(']');
        return false;
    }

    private void describeCaps(int failingShown, int othersShown) {
        String part = c.key() == null ? "the history" : "key " + EdnWriter.write(c.key());
        note = failingShown == c.part().size()
                ? String.format(Locale.ROOT, "All %,d operations of %s are embedded.", failingShown, part)
                : String.format(Locale.ROOT, "%s has %,d operations; the %,d nearest the failing operation are"
                        + " embedded.", capitalize(part), c.part().size(), failingShown);
        if (whole != null) {
            int total = whole.size() - c.part().size();
            note += othersShown == total
                    ? String.format(Locale.ROOT, " All %,d operations of the other keys are embedded too.", total)
                    : String.format(Locale.ROOT, " Of the other keys' %,d operations, the %,d invoked closest in"
                            + " time to the failing operation are embedded.", total, othersShown);
        }
    }

    private List<Operation> otherKeys() {
        List<Operation> others = new ArrayList<>();
        for (Operation op : whole.operations()) {
            if (op.input() instanceof List && ((List<?>) op.input()).size() == 2
                    && !Objects.equals(keyOf(op), c.key())) {
                others.add(op);
            }
        }
        return others;
    }

    /** @return at most {@code cap} of the operations, those invoked nearest the failing operation, in their order */
    private List<Operation> nearest(List<Operation> ops, int cap) {
        if (ops.size() <= cap) {
            return ops;
        }
        long at = c.blocked().invokeTime();
        List<Operation> sorted = new ArrayList<>(ops);
        sorted.sort(Comparator.comparingLong(op -> Math.abs(op.invokeTime() - at)));
        Map<Operation, Integer> keep = positions(sorted.subList(0, cap));
        if (!keep.containsKey(c.blocked()) && ops.contains(c.blocked())) {
            keep.put(c.blocked(), 0);
        }
        List<Operation> kept = new ArrayList<>(keep.size());
        for (Operation op : ops) {
            if (keep.containsKey(op)) {
                kept.add(op);
            }
        }
        return kept;
    }

    private static Object keyOf(Operation op) {
        return ((List<?>) op.input()).get(0);
    }

    private static Object valueOf(Object tuple) {
        return tuple instanceof List && ((List<?>) tuple).size() == 2 ? ((List<?>) tuple).get(1) : tuple;
    }

    private static Map<Operation, Integer> positions(List<Operation> ops) {
        Map<Operation, Integer> at = new IdentityHashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            at.put(ops.get(i), i);
        }
        return at;
    }

    private static String capitalize(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String strings(List<String> items) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "" : ",").append(string(items.get(i)));
        }
        return out.append(']').toString();
    }

    /** @return a JSON string literal that cannot end a script element ({@code <}, {@code >}, {@code &} escaped) */
    static String string(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '"' || ch == '\\') {
                out.append('\\').append(ch);
            } else if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029) {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.append('"').toString();
    }
}
