package dev.keel.linearizability.cli;

import dev.keel.linearizability.history.History;
import dev.keel.linearizability.report.HtmlReport;
import dev.keel.linearizability.search.CheckResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code --html} puts the report: checked before the (possibly long) check runs, written only for a failure,
 * and never left stale from an earlier run, so the file present after a run always belongs to that run.
 */
final class ReportFile {
    private final Path path;

    ReportFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** @return what is wrong with the path for writing a report, or {@code null} if it looks writable */
    String problem() {
        if (Files.isDirectory(path)) {
            return "--html " + path + " is a directory; give a file name";
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return "--html " + path + ": the directory " + parent + " does not exist";
        }
        if (Files.exists(path) ? !Files.isWritable(path) : !Files.isWritable(parent)) {
            return "--html " + path + " is not writable";
        }
        return null;
    }

    /**
     * Writes the report of a failure (with the whole history, so its reader can pick any key), or removes a stale report when there is no failure to show.
     *
     * @return the line telling where the report is or that none was written
     * @throws IOException if the report cannot be written or the stale one removed
     */
    String update(CheckResult result, String modelName, History whole) throws IOException {
        if (result.counterexample().isPresent()) {
            Files.writeString(path, HtmlReport.render(result.counterexample().get(), modelName, whole),
                    StandardCharsets.UTF_8);
            return "report: " + path;
        }
        // Only a regular file can be a report of ours; a device or pipe given as the path is left alone.
        boolean removed = Files.isRegularFile(path) && Files.deleteIfExists(path);
        return "report: none written (no failure to show)" + (removed ? "; removed the earlier " + path : "");
    }
}
