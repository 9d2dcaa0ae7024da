package dev.keel.benchmarks.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The JMH suite's figures as Markdown for {@code docs/benchmarks.md}: one table (benchmark, mode, score ± error,
 * unit, {@code gc.alloc.rate.norm}) with the machine, the load average before and after the run and the command,
 * between the markers {@link #BLOCK} owns. Run by {@code bin/keel-jmh} after JMH wrote its JSON results; the
 * hand-written sections around the block stay as they are.
 */
public final class JmhReport {
    /** The markers of the generated block and the section it starts when the document has none. */
    public static final MarkedBlock BLOCK = new MarkedBlock(
            "<!-- jmh:begin (written by bin/keel-jmh; edit outside the markers) -->", "<!-- jmh:end -->",
            "## JMH suite");

    private final List<JmhResult> results;
    private final RunFacts facts;

    /**
     * What the block says about the run beyond JMH's own results.
     *
     * @param when       the time the run ended, as written (e.g. {@code 2026-12-02 17:40 UTC})
     * @param machine    cores, CPU model and JVM
     * @param loadBefore the 1/5/15-minute load averages before the run
     * @param loadAfter  the same after it
     * @param command    the command that ran the suite
     */
    public record RunFacts(String when, String machine, String loadBefore, String loadAfter, String command) {
    }

    public JmhReport(List<JmhResult> results, RunFacts facts) {
        // Grouped by class, then method and parameters, whatever order JMH ran them in.
        this.results = results.stream().sorted(java.util.Comparator.comparing(JmhResult::displayName)
                .thenComparing(JmhResult::mode)).toList();
        this.facts = facts;
    }

    /** @return the block's content, without the markers */
    public String body() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("Measured %s by `%s` on %s. Load average (1/5/15 min) before the run: %s; after: %s."
                        + " Allocation is JMH's `gc.alloc.rate.norm` (`-prof gc`, all threads of the benchmark JVM)."
                        + " What each benchmark measures, and earlier runs with their analysis, are in the"
                        + " sections below.%n%n", facts.when(), facts.command(), facts.machine(), facts.loadBefore(),
                facts.loadAfter()));
        b.append("| benchmark | mode | score ± error | unit | gc.alloc.rate.norm (B/op) |\n");
        b.append("|---|---|---|---|---|\n");
        for (JmhResult r : results) {
            b.append("| `").append(r.displayName()).append("` | ").append(r.mode()).append(" | ")
                    .append(score(r)).append(" | ").append(r.unit()).append(" | ").append(alloc(r.allocBytesPerOp()))
                    .append(" |\n");
        }
        if (results.isEmpty()) {
            b.append("| (no benchmark ran) | | | | |\n");
        }
        return b.toString();
    }

    private static String score(JmhResult r) {
        String s = number(r.score()) + (Double.isNaN(r.error()) ? "" : " ± " + number(r.error()));
        if (!Double.isNaN(r.p50()) && !Double.isNaN(r.p99())) {
            s += " (p50 " + number(r.p50()) + ", p99 " + number(r.p99()) + ")";
        }
        return s;
    }

    private static String alloc(double bytes) {
        if (Double.isNaN(bytes)) {
            return "—";
        }
        return bytes < 10 ? String.format(Locale.ROOT, "%.3f", bytes) : String.format(Locale.ROOT, "%,.0f", bytes);
    }

    /** Three significant figures or more: 4,810,000 / 293 / 12.4 / 0.512. */
    static String number(double v) {
        double a = Math.abs(v);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        String format = a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, format, v);
    }

    /**
     * {@code JmhReport --results FILE [--doc FILE | --no-doc] [--load-before S] [--load-after S] [--command S]}:
     * prints the table and, unless {@code --no-doc}, refreshes the block in the document.
     */
    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("keel-jmh: " + e.getMessage());
            System.exit(64);
        }
    }

    static int run(String[] args) {
        ReportOptions o = ReportOptions.parse(args);
        String json;
        try {
            json = Files.readString(o.results(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString();
            System.err.println("keel-jmh: cannot read JMH's results " + o.results() + " (" + why
                    + "); did the JMH run finish? Run bin/keel-jmh again.");
            return 66;
        }
        List<JmhResult> results;
        try {
            results = JmhResult.parse(json);
        } catch (IllegalArgumentException e) {
            System.err.println("keel-jmh: " + o.results() + " is not JMH's JSON results: " + e.getMessage());
            return 65;
        }
        String when = LocalDateTime.now(java.time.ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")) + " UTC";
        JmhReport report = new JmhReport(results, new RunFacts(when, MachineFacts.describe(json), o.loadBefore(),
                o.loadAfter(), o.command()));
        String body = report.body();
        System.out.println(body);
        if (o.doc() != null) {
            try {
                BLOCK.writeInto(o.doc(), body);
            } catch (IOException e) {
                System.err.println("keel-jmh: cannot write " + o.doc() + " (" + e.getMessage()
                        + "); the table is printed above and the JSON is in " + o.results());
                return 74;
            }
            System.out.println("keel-jmh: refreshed the JMH block of " + o.doc());
        }
        return 0;
    }
}
