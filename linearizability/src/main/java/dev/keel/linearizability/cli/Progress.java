package dev.keel.linearizability.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Progress lines on standard error for long checks: the first after {@link #FIRST} (a quick check prints none),
 * then every {@link #EVERY}, e.g. {@code keel-check: read 1,204,000 events (52 of 310 MB); 8.1 s}. Never on
 * standard output, which holds only results.
 */
final class Progress implements AutoCloseable {
    static final Duration FIRST = Duration.ofSeconds(3);
    static final Duration EVERY = Duration.ofSeconds(5);

    /** Runs a task after a delay and then periodically; injectable so tests need not wait for real time. */
    interface Scheduler {
        /** @return what stops the task; closing it waits for a run in progress to finish */
        AutoCloseable every(Duration first, Duration period, Runnable task);
    }

    /** The real scheduler: one daemon thread, so a forgotten reporter never keeps the JVM alive. */
    static final Scheduler REAL_TIME = (first, period, task) -> {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "keel-check-progress");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleAtFixedRate(task, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return () -> {
            executor.shutdown();
            executor.awaitTermination(1, TimeUnit.SECONDS); // a line being printed is finished, not cut
        };
    };

    /** Does nothing: {@code --quiet}. */
    static final Progress NONE = new Progress(null);

    private final AutoCloseable stop;

    private Progress(AutoCloseable stop) {
        this.stop = stop;
    }

    /**
     * Starts reporting {@code status} (with the time since now appended) on {@code err}.
     *
     * @param nanoTime the clock for the elapsed time shown
     */
    static Progress start(Scheduler scheduler, PrintWriter err, Supplier<String> status, LongSupplier nanoTime) {
        long start = nanoTime.getAsLong();
        return new Progress(scheduler.every(FIRST, EVERY, () -> {
            double seconds = (nanoTime.getAsLong() - start) / 1e9;
            err.println(String.format(Locale.ROOT, "keel-check: %s; %.1f s", status.get(), seconds));
            err.flush();
        }));
    }

    /** Stops reporting; no line is printed after this returns. */
    @Override
    public void close() {
        if (stop == null) {
            return;
        }
        try {
            stop.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the progress reporter", e);
        }
    }
}
