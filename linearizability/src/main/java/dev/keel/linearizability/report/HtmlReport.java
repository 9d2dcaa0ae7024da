package dev.keel.linearizability.report;

import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.search.Counterexample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link Counterexample} as one self-contained, interactive HTML page in the spirit of Porcupine's
 * visualizer: a sentence saying what went wrong ({@link Headline}), a canvas timeline with one lane per process
 * (zoom and pan with the wheel, by dragging, with the buttons or the keyboard), each operation a bar from invocation
 * to completion, the failing operation highlighted and in view when the page opens, and details (values, times,
 * the model states the checker knew) on hover or click. Script, style and data are inline: the page works opened
 * from disk and fetches nothing. Operations are embedded as compact JSON ({@link ReportData}), capped for huge
 * histories by a rule the page states.
 */
public final class HtmlReport {
    /** The end of the longest linearization listed under the timeline. */
    static final int CONTEXT_OPS = 20;

    private static final String CSS = resource("report.css");
    private static final String SCRIPT = resource("report.js");

    private HtmlReport() {
    }

    /**
     * Renders the failing part alone (for a history checked key by key, the failing key's operations).
     *
     * @param counterexample the failure to show
     * @param modelName      the model's name, for the title and the headline
     * @return the complete HTML document
     */
    public static String render(Counterexample counterexample, String modelName) {
        return render(counterexample, modelName, null);
    }

    /**
     * Renders the failure with the rest of the history: for a history checked key by key, the page lets its
     * reader pick any key (the failing key first).
     *
     * @param counterexample the failure to show
     * @param modelName      the model's name, for the title and the headline
     * @param whole          the whole history checked, or {@code null} to show only the failing part
     * @return the complete HTML document
     */
    public static String render(Counterexample counterexample, String modelName, History whole) {
        String headline = Headline.of(counterexample, modelName);
        String data = new ReportData(counterexample, whole).json(modelName, headline);
        StringBuilder html = new StringBuilder(data.length() + SCRIPT.length() + 16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\" data-rendered=\"no\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>keel-check: not linearizable (").append(escape(modelName)).append(")</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        header(html, counterexample, modelName, headline);
        html.append(TIMELINE);
        windowTable(html, counterexample);
        states(html, counterexample);
        linearization(html, counterexample);
        html.append("<script type=\"application/json\" id=\"report-data\">").append(data).append("</script>\n")
                .append("<script>\n").append(SCRIPT).append("</script>\n");
        return html.append("</body>\n</html>\n").toString();
    }

    /** The interactive part; the script fills it in. */
    private static final String TIMELINE = String.join("\n",
            "<div id=\"jserror\" class=\"jserror\" hidden></div>",
            "<noscript><p class=\"jserror\">The timeline needs JavaScript; the tables below hold the failing"
                    + " window and the states.</p></noscript>",
            "<div class=\"toolbar\">",
            "<label id=\"keypick\" hidden>key <select id=\"key\"></select></label>",
            "<button type=\"button\" id=\"zoomin\" title=\"zoom in (+)\">+</button>",
            "<button type=\"button\" id=\"zoomout\" title=\"zoom out (-)\">&minus;</button>",
            "<button type=\"button\" id=\"left\" title=\"pan left (&larr;)\">&larr;</button>",
            "<button type=\"button\" id=\"right\" title=\"pan right (&rarr;)\">&rarr;</button>",
            "<button type=\"button\" id=\"failure\" title=\"show the failing operation (f)\">failure</button>",
            "<button type=\"button\" id=\"all\" title=\"show everything (a)\">all</button>",
            "<span class=\"hint\">wheel: zoom &middot; drag or shift+wheel: pan &middot; hover: details &middot;"
                    + " click: pin &middot; keys + - &larr; &rarr; f a Esc</span>",
            "</div>",
            "<div id=\"lanes\" class=\"lanes\"><canvas id=\"timeline\" tabindex=\"0\"></canvas></div>",
            "<div id=\"details\" class=\"details\"></div>",
            "<p class=\"legend\"><span class=\"sw blocked\"></span>failing: could not be linearized"
                    + "<span class=\"sw window\"></span>failing window<span class=\"sw linearized\"></span>in the"
                    + " longest linearization<span class=\"sw other\"></span>other<span class=\"sw failed\"></span>"
                    + "failed (did not happen)<span class=\"sw info\"></span>indeterminate: may take effect any time"
                    + " after its start (dashed to the edge of the view)</p>",
            "<p class=\"note\" id=\"note\"></p>",
            "");

    private static void header(StringBuilder html, Counterexample c, String modelName, String headline) {
        html.append("<h1>Not linearizable</h1>\n<p id=\"headline\" class=\"headline\">").append(escape(headline))
                .append("</p>\n<p class=\"summary\">Model <b>").append(escape(modelName)).append("</b>");
        if (c.key() != null) {
            html.append(", key <b>").append(escape(EdnWriter.write(c.key()))).append("</b>");
        }
        html.append(String.format(Locale.ROOT, ". The longest linearization found covers <b>%,d</b> of %,d"
                + " completed operations; after it, none of the <b>%,d</b> operations of the failing window can go"
                + " next in a way that lets the failing operation (process %d) be linearized before it completed."
                + "</p>\n", c.completedLinearized(), c.completedTotal(), c.window().size(), c.blocked().process()));
    }

    private static void windowTable(StringBuilder html, Counterexample c) {
        html.append("<details open><summary>Failing window (").append(c.window().size())
                .append(" operations)</summary>\n<table>\n<tr><th>process</th><th>function</th><th>argument</th>")
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
        html.append("</table>\n</details>\n");
    }

    private static void states(StringBuilder html, Counterexample c) {
        html.append("<details open><summary>States the model could be in just before the failing window</summary>\n")
                .append("<ul class=\"states\">\n");
        for (String state : c.states()) {
            html.append("<li><code>").append(escape(state)).append("</code></li>\n");
        }
        html.append("</ul>\n</details>\n");
    }

    private static void linearization(StringBuilder html, Counterexample c) {
        List<Operation> prefix = c.linearized();
        int from = Math.max(0, prefix.size() - CONTEXT_OPS);
        html.append("<details><summary>Longest linearization found (last ").append(prefix.size() - from)
                .append(" of ").append(prefix.size()).append(")</summary>\n<ol start=\"").append(from + 1)
                .append("\">\n");
        for (int i = from; i < prefix.size(); i++) {
            String after = c.stateAfter(i);
            html.append("<li><code>").append(escape(prefix.get(i).toString())).append("</code>")
                    .append(after == null ? "" : " &rArr; <code>" + escape(after) + "</code>").append("</li>\n");
        }
        html.append("</ol>\n</details>\n");
    }

    private static String cell(String text) {
        return "<td>" + escape(text) + "</td>";
    }

    /** @return {@code text} safe inside HTML text and attributes */
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

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the report's " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
