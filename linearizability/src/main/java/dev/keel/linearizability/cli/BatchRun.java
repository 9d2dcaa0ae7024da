package dev.keel.linearizability.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * Checks many histories in one JVM: up to one worker per core, each history's own search then on
 * {@code cores / workers} threads so the two levels never oversubscribe the machine, and each history's search
 * caches under its share of the memory budget. Prints one result per history as it finishes, then a summary,
 * and answers the most severe outcome's exit code ({@link Outcome}). One history's failure, however it fails,
 * never stops the others.
 */
final class BatchRun {
    /**
     * @param inputs  the histories
     * @param reports each one's HTML report file, in the same order, or {@code null} for none
     */
    record Plan(List<Input> inputs, List<Path> reports) {
    }

    private final Plan plan;
    private final FileCheck.Settings settings;
    private final ResultFormat format;
    private final ResultMap maps;
    private final InputStream stdin;
    private final LongSupplier nanoTime;
    private final Map<Outcome, Integer> counts = new ConcurrentHashMap<>();
    /** The histories being checked now, for progress lines. */
    private final Map<Integer, FileProgress> running = new ConcurrentHashMap<>();
    private volatile int done;

    BatchRun(Plan plan, FileCheck.Settings settings, ResultFormat format, ResultMap maps, InputStream stdin,
            LongSupplier nanoTime) {
        this.plan = plan;
        this.settings = settings;
        this.format = format;
        this.maps = maps;
        this.stdin = stdin;
        this.nanoTime = nanoTime;
    }

    /** @return the exit code: that of the most severe outcome */
    int run(PrintWriter out, PrintWriter err, Progress.Scheduler progressScheduler) {
        long start = nanoTime.getAsLong();
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = Math.min(cores, plan.inputs().size());
        FileCheck.Settings perFile = new FileCheck.Settings(settings.model(), settings.allowEmpty(),
                settings.timeout(), Runtime.getRuntime().maxMemory() / 2 / workers, Math.max(1, cores / workers));
        FileCheck check = new FileCheck(perFile, stdin);
        ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "keel-check-file");
            thread.setDaemon(true);
            return thread;
        });
        Outcome worst = Outcome.LINEARIZABLE;
        try (Progress progress = progressScheduler == null ? Progress.NONE
                : Progress.start(progressScheduler, err, this::status, nanoTime)) {
            ExecutorCompletionService<Checked> finished = new ExecutorCompletionService<>(pool);
            for (int i = 0; i < plan.inputs().size(); i++) {
                int index = i;
                finished.submit(() -> checkOne(check, index));
            }
            for (int i = 0; i < plan.inputs().size(); i++) {
                Checked checked = take(finished);
                worst = worst.worse(checked.outcome());
                counts.merge(checked.outcome(), 1, Integer::sum);
                done++;
                out.println(format.line(checked, maps));
                out.flush();
            }
        } finally {
            pool.shutdownNow();
        }
        String summary = summary(nanoTime.getAsLong() - start);
        if (format == ResultFormat.TEXT) {
            out.println(summary);
        } else {
            err.println("keel-check: " + summary); // standard output holds only the results
        }
        return worst.exitCode();
    }

    private Checked checkOne(FileCheck check, int index) {
        Input input = plan.inputs().get(index);
        FileProgress progress = new FileProgress(nanoTime);
        running.put(index, progress);
        try {
            return check.check(input, plan.reports() == null ? null : new ReportFile(plan.reports().get(index)),
                    progress);
        } finally {
            running.remove(index);
        }
    }

    private static Checked take(ExecutorCompletionService<Checked> finished) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    Future<Checked> next = finished.take();
                    return next.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the checks stop by their own budgets; wait for them
                } catch (ExecutionException e) {
                    // FileCheck turns every exception into a result; only an Error (not memory) gets here.
                    throw new IllegalStateException("a history's check died: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return e.g. "200 histories: 180 linearizable, 15 not linearizable, 3 unknown, 2 unreadable in 1.9 s" */
    private String summary(long nanos) {
        List<String> parts = new ArrayList<>();
        for (Outcome outcome : List.of(Outcome.LINEARIZABLE, Outcome.NOT_LINEARIZABLE, Outcome.UNKNOWN,
                Outcome.UNREADABLE)) {
            parts.add(counts.getOrDefault(outcome, 0) + " " + outcome.text());
        }
        int internal = counts.getOrDefault(Outcome.INTERNAL_ERROR, 0);
        if (internal > 0) {
            parts.add(internal + " internal error" + (internal == 1 ? "" : "s"));
        }
        int n = plan.inputs().size();
        return String.format(Locale.ROOT, "%d histor%s: %s in %.1f s", n, n == 1 ? "y" : "ies",
                String.join(", ", parts), nanos / 1e9);
    }

    /** @return e.g. "120 of 200 histories done (3 not linearizable); checking b.edn (read 12,000 events)" */
    private String status() {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d of %d histories done", done,
                plan.inputs().size()));
        int failed = counts.getOrDefault(Outcome.NOT_LINEARIZABLE, 0);
        line.append(failed > 0 ? " (" + failed + " not linearizable)" : "");
        long oldest = Long.MIN_VALUE;
        Integer slowest = null;
        for (Map.Entry<Integer, FileProgress> entry : running.entrySet()) {
            long elapsed = entry.getValue().elapsedNanos();
            if (elapsed > oldest) {
                oldest = elapsed;
                slowest = entry.getKey();
            }
        }
        if (slowest != null) {
            FileProgress progress = running.get(slowest);
            if (progress != null) {
                line.append(String.format(Locale.ROOT, "; longest running: %s for %.1f s (%s)",
                        plan.inputs().get(slowest).label(), oldest / 1e9, progress.describe()));
            }
        }
        return line.toString();
    }
}
