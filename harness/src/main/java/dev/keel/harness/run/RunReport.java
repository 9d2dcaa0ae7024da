package dev.keel.harness.run;

import dev.keel.harness.workload.WorkloadResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run's {@code index.html}: one self-contained page with the verdicts, the fault schedule as it ran (the
 * nemesis lines of {@code harness.log}), and links to every file of the folder, so a reader starts there.
 */
final class RunReport {
    private RunReport() {
    }

    /** Writes {@code index.html} into the summary's folder. */
    static void write(RunSummary summary, String schedule) {
        Path dir = summary.dir();
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                + "<title>keel-torture " + summary.seed() + "</title><style>"
                + "body{font:14px system-ui,sans-serif;margin:2em;max-width:80em}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
                + ".PASS{background:#dfd}.FAIL{background:#fdd}.UNKNOWN{background:#ffd}"
                + "pre{background:#f6f6f6;padding:1em;overflow-x:auto}</style></head><body>\n");
        html.append("<h1>keel-torture: ").append(summary.outcome()).append("</h1>\n<p>seed ")
                .append(summary.seed()).append(", ").append(summary.faults()).append(" faults, ")
                .append(String.format("%.0f", summary.seconds())).append(" s. Replay: <code>bin/keel-torture --seed ")
                .append(summary.seed()).append("</code> with the settings in <a href=\"run.txt\">run.txt</a>.</p>\n");
        html.append("<table><tr><th>workload</th><th>verdict</th><th>ok</th><th>fail</th><th>info</th>"
                + "<th>what was checked</th><th>files</th></tr>\n");
        for (WorkloadResult r : summary.results()) {
            html.append("<tr class=\"").append(r.outcome()).append("\"><td>").append(escape(r.workload()))
                    .append("</td><td>").append(r.outcome()).append("</td><td>").append(r.ok()).append("</td><td>")
                    .append(r.failed()).append("</td><td>").append(r.info()).append("</td><td>")
                    .append(escape(r.headline())).append("</td><td>").append(links(dir, r.files())).append("</td></tr>\n");
        }
        html.append("</table>\n<h2>Faults as they ran</h2>\n<pre>").append(escape(faultLines(dir)))
                .append("</pre>\n<h2>Schedule drawn from the seed</h2>\n<pre>").append(escape(schedule))
                .append("</pre>\n<h2>Files</h2>\n<p>").append(links(dir, folderFiles(dir))).append("</p>\n</body></html>\n");
        try {
            Files.writeString(dir.resolve("index.html"), html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + dir.resolve("index.html"), e);
        }
    }

    private static String faultLines(Path dir) {
        try (Stream<String> lines = Files.lines(dir.resolve("harness.log"), StandardCharsets.UTF_8)) {
            return String.join("\n", lines.filter(l -> l.contains(" nemesis ")).toList());
        } catch (IOException e) {
            return "(harness.log unreadable: " + e.getMessage() + ")";
        }
    }

    private static List<Path> folderFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String links(Path dir, List<Path> files) {
        StringBuilder out = new StringBuilder();
        for (Path f : files) {
            String name = dir.relativize(dir.resolve(f)).toString();
            out.append(out.length() == 0 ? "" : " ").append("<a href=\"").append(escape(name)).append("\">")
                    .append(escape(name)).append("</a>");
        }
        return out.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
