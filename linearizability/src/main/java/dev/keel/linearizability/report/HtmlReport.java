package dev.keel.linearizability.report;

import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.search.Counterexample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders a {@link Counterexample} as one self-contained HTML page (inline CSS and SVG, nothing fetched), in the
 * spirit of Porcupine's visualization: one lane per process on a time axis, each operation a bar, the failing
 * window highlighted, the states the model could be in listed below, and the end of the longest linearization
 * the search found.
 */
public final class HtmlReport {
    /** Around the window, enough of the linearization to see how the history got there. */
    static final int CONTEXT_OPS = 20;
    /** A timeline wider than this many operations stops being readable. */
    static final int MAX_DRAWN_OPS = 300;

    private HtmlReport() {
    }

    /**
     * @param counterexample the failure to show
     * @param modelName      the model's name, for the title
     * @return the complete HTML document
     */
    public static String render(Counterexample counterexample, String modelName) {
        List<Operation> drawn = drawnOperations(counterexample);
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>keel-check: not linearizable</title>\n<style>\n").append(Css.STYLE)
                .append("</style>\n</head>\n<body>\n");
        header(html, counterexample, modelName, drawn.size());
        html.append(new Timeline(drawn, counterexample).svg());
        legend(html);
        windowTable(html, counterexample);
        states(html, counterexample);
        linearization(html, counterexample);
        return html.append("</body>\n</html>\n").toString();
    }

    /**
     * What the timeline shows: the window, the blocked operation, the end of the linearization, and whatever
     * overlaps them in time. Indeterminate operations invoked long before stay candidates forever, so they are
     * drawn when they are in the window but do not stretch the time span.
     */
    static List<Operation> drawnOperations(Counterexample c) {
        Set<Operation> focus = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Operation op : c.window()) {
            if (op.type() != OpType.INFO) {
                focus.add(op);
            }
        }
        focus.add(c.blocked());
        List<Operation> prefix = c.linearized();
        focus.addAll(prefix.subList(Math.max(0, prefix.size() - CONTEXT_OPS), prefix.size()));
        long[] span = span(focus);
        Set<Operation> window = Collections.newSetFromMap(new IdentityHashMap<>());
        window.addAll(c.window());
        Set<Operation> drawn = new LinkedHashSet<>();
        for (Operation op : c.part().operations()) {
            boolean overlaps = op.invokeTime() <= span[1] && (op.type() == OpType.INFO
                    ? op.invokeTime() >= span[0] : op.completeTime() >= span[0]);
            if (focus.contains(op) || window.contains(op) || overlaps && drawn.size() < MAX_DRAWN_OPS) {
                drawn.add(op);
            }
        }
        return new ArrayList<>(drawn);
    }

    /** @return {first invocation, last event} of the operations */
    static long[] span(Set<Operation> ops) {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (Operation op : ops) {
            from = Math.min(from, op.invokeTime());
            to = Math.max(to, op.completed() ? op.completeTime() : op.invokeTime());
        }
        return new long[] {from, to};
    }

    private static void header(StringBuilder html, Counterexample c, String modelName, int drawn) {
        html.append("<h1>Not linearizable</h1>\n<p class=\"summary\">Model <b>").append(escape(modelName))
                .append("</b>");
        if (c.key() != null) {
            html.append(", key <b>").append(escape(EdnWriter.write(c.key()))).append("</b>");
        }
        html.append(". The longest linearization found covers <b>").append(c.completedLinearized())
                .append("</b> of ").append(c.completedTotal()).append(" completed operations. After it, no")
                .append(" operation of the failing window (<b>").append(c.window().size())
                .append("</b>, indeterminate ones included) can go next in a way that lets the operation of process ")
                .append(c.blocked().process()).append(" be linearized before it completes. The timeline shows ")
                .append(drawn).append(" of the ").append(c.part().size()).append(" operations of this part;")
                .append(" a bar marked ◀ started earlier.</p>\n");
    }

    private static void legend(StringBuilder html) {
        html.append("<p class=\"legend\"><span class=\"sw linearized\"></span>in the longest linearization")
                .append("<span class=\"sw window\"></span>failing window")
                .append("<span class=\"sw blocked\"></span>blocked: could not be linearized")
                .append("<span class=\"sw other\"></span>other<span class=\"sw failed\"></span>failed (did not happen)")
                .append("<span class=\"sw info\"></span>indeterminate (may happen any time after its start)</p>\n");
    }

    private static void windowTable(StringBuilder html, Counterexample c) {
        html.append("<h2>Failing window</h2>\n<table>\n<tr><th>process</th><th>function</th><th>argument</th>")
                .append("<th>result</th><th>invoked</th><th>completed</th></tr>\n");
        for (Operation op : c.window()) {
            html.append(op == c.blocked() ? "<tr class=\"blockedrow\">" : "<tr>")
                    .append(cell(Long.toString(op.process()))).append(cell(":" + op.f()))
                    .append(cell(EdnWriter.write(op.input())))
                    .append(cell(op.completed() ? op.type().jepsenName() + " " + EdnWriter.write(op.output())
                            : "pending"))
                    .append(cell(Long.toString(op.invokeTime())))
                    .append(cell(op.completed() ? Long.toString(op.completeTime()) : "—")).append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void states(StringBuilder html, Counterexample c) {
        html.append("<h2>States the model could be in just before the window</h2>\n<ul class=\"states\">\n");
        for (String state : c.states()) {
            html.append("<li><code>").append(escape(state)).append("</code></li>\n");
        }
        html.append("</ul>\n");
    }

    private static void linearization(StringBuilder html, Counterexample c) {
        List<Operation> prefix = c.linearized();
        int from = Math.max(0, prefix.size() - CONTEXT_OPS);
        html.append("<h2>Longest linearization found (last ").append(prefix.size() - from).append(" of ")
                .append(prefix.size()).append(")</h2>\n<ol start=\"").append(from + 1).append("\">\n");
        for (Operation op : prefix.subList(from, prefix.size())) {
            html.append("<li><code>").append(escape(op.toString())).append("</code></li>\n");
        }
        html.append("</ol>\n");
    }

    private static String cell(String text) {
        return "<td>" + escape(text) + "</td>";
    }

    /** @return {@code text} safe inside HTML and SVG text and attributes */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '&': out.append("&amp;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(ch);
            }
        }
        return out.toString();
    }

    /** @return the CSS class of an operation's bar */
    static String classOf(Operation op, Counterexample c, Set<Operation> linearized, Set<Operation> window) {
        if (op == c.blocked()) {
            return "blocked";
        }
        if (window.contains(op)) {
            return "window";
        }
        if (linearized.contains(op)) {
            return "linearized";
        }
        if (op.type() == OpType.FAIL) {
            return "failed";
        }
        return op.type() == OpType.INFO ? "info" : "other";
    }
}
