package dev.keel.benchmarks.jmh;

import java.nio.file.Path;

/**
 * {@link JmhReport}'s command line.
 *
 * @param results    JMH's JSON results
 * @param doc        the document whose block is refreshed; null for {@code --no-doc}
 * @param loadBefore load averages before the run, as written in the block
 * @param loadAfter  load averages after the run
 * @param command    the command that ran the suite, as written in the block
 */
record ReportOptions(Path results, Path doc, String loadBefore, String loadAfter, String command) {
    static final String USAGE = "usage: JmhReport --results FILE [--doc FILE | --no-doc] [--load-before S]"
            + " [--load-after S] [--command S]";

    /** @throws IllegalArgumentException with one line naming the bad argument */
    static ReportOptions parse(String[] args) {
        Path results = null;
        Path doc = Path.of("docs/benchmarks.md");
        String before = "unknown";
        String after = "unknown";
        String command = "bin/keel-jmh";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--no-doc")) {
                doc = null;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a.startsWith("--") ? a + " needs a value; " + USAGE
                        : "unexpected argument " + a + "; " + USAGE);
            }
            String v = args[++i];
            switch (a) {
                case "--results" -> results = Path.of(v);
                case "--doc" -> doc = Path.of(v);
                case "--load-before" -> before = v;
                case "--load-after" -> after = v;
                case "--command" -> command = v;
                default -> throw new IllegalArgumentException("unknown option " + a + "; " + USAGE);
            }
        }
        if (results == null) {
            throw new IllegalArgumentException("--results is required; " + USAGE);
        }
        return new ReportOptions(results, doc, before, after, command);
    }
}
