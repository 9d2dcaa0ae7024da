package dev.keel.harness.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The run's log: every line the cluster, the nemesis and the workloads report goes to {@code harness.log} in the
 * run's folder with its run time; fault lines also go to the terminal, so a reader follows the run. Thread-safe.
 */
public final class RunLog implements AutoCloseable {
    private final RunClock clock;
    private final Writer file;
    private final PrintStream terminal;

    /** Opens {@code path} for appending. */
    public RunLog(RunClock clock, Path path, PrintStream terminal) {
        this.clock = clock;
        this.terminal = terminal;
        try {
            this.file = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open " + path, e);
        }
    }

    /** Writes a line to the log only. */
    public synchronized void line(String source, String text) {
        try {
            file.write(String.format("%9.3fs %-9s %s%n", clock.millis() / 1000.0, source, text));
            file.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write harness.log", e);
        }
    }

    /** Writes a line to the log and the terminal. */
    public synchronized void shown(String source, String text) {
        line(source, text);
        terminal.printf("%7.1fs %s%n", clock.millis() / 1000.0, text);
    }

    @Override
    public synchronized void close() {
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not close harness.log", e);
        }
    }
}
