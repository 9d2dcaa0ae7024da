package dev.keel.harness.workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a workload's result files (history, report) into the run's folder. */
public final class ResultFiles {
    private ResultFiles() {
    }

    /**
     * Writes {@code text} as UTF-8 to {@code file}, creating its folder if needed.
     *
     * @return {@code file}
     * @throws UncheckedIOException if it cannot be written
     */
    public static Path write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
