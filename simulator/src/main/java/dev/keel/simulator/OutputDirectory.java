package dev.keel.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks {@code --out} before any seed runs: a failing seed's history is the run's most valuable output, so an
 * output directory that cannot take it must be found at the start, not at the first failure.
 */
final class OutputDirectory {
    private OutputDirectory() {
    }

    /**
     * Checks that failure files could be written under {@code out} (which may not exist yet: it is created at
     * the first failure). Probes by creating and deleting a file, since permission bits say nothing for root.
     *
     * @throws IllegalArgumentException with a one-line reason if they could not
     */
    static void check(Path out) {
        Path absolute = out.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IllegalArgumentException("--out " + out + ": no part of the path exists");
        }
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException("--out " + out + ": " + (existing.equals(absolute) ? "is a file"
                    : existing + " is a file") + ", not a directory");
        }
        try {
            Path probe = Files.createTempFile(existing, ".keel-sim-probe", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("--out " + out + ": cannot write in " + existing + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }
}
