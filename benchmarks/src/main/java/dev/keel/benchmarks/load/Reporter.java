package dev.keel.benchmarks.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads the recording's latencies once a second while a run goes: adds each interval to the run's histogram,
 * writes it to the HdrHistogram interval log if one was asked for (the format HistogramLogProcessor,
 * HistogramLogAnalyzer and the HdrHistogram plotter read; values in nanoseconds), and prints a progress line
 * every few seconds.
 */
final class Reporter implements AutoCloseable {
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Recording rec;
    private final String name;
    private final int progressSeconds;
    private final PrintStream progress;
    private final HistogramLogWriter log;
    private final Histogram total = new Histogram(Recording.HIGHEST_NANOS, 3);
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private volatile boolean stopping;
    private Histogram recycled;

    Reporter(Recording rec, String name, Path hlog, int progressSeconds, PrintStream progress) {
        this.rec = rec;
        this.name = name;
        this.progressSeconds = progressSeconds;
        this.progress = progress;
        this.log = hlog == null ? null : openLog(hlog);
        rec.recorder().reset(); // the first interval starts now, not before the log's base time
        this.thread = new Thread(this::loop, "keel-bench-reporter");
        thread.setDaemon(true);
        thread.start();
    }

    private static HistogramLogWriter openLog(Path file) {
        try {
            HistogramLogWriter w = new HistogramLogWriter(file.toFile());
            long now = System.currentTimeMillis();
            w.outputComment("keel-bench interval log; latencies in nanoseconds");
            w.outputLogFormatVersion();
            w.outputStartTime(now);
            w.setBaseTime(now);
            w.outputLegend();
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the interval log " + file, e);
        }
    }

    private void loop() {
        long next = startNanos + INTERVAL_NANOS;
        long lastPrint = startNanos;
        long opsAtPrint = 0;
        while (!stopping) {
            LockSupport.parkNanos(next - System.nanoTime());
            if (System.nanoTime() - next < 0) {
                continue;
            }
            next += INTERVAL_NANOS;
            Histogram interval = takeInterval();
            long now = System.nanoTime();
            if (progressSeconds > 0 && now - lastPrint >= TimeUnit.SECONDS.toNanos(progressSeconds)) {
                long ops;
                synchronized (total) {
                    ops = total.getTotalCount();
                }
                printProgress(now, ops - opsAtPrint, (now - lastPrint) / 1e9, interval);
                lastPrint = now;
                opsAtPrint = ops;
            }
        }
    }

    private synchronized Histogram takeInterval() {
        Histogram interval = rec.recorder().getIntervalHistogram(recycled);
        synchronized (total) {
            total.add(interval);
        }
        if (log != null) {
            log.outputIntervalHistogram(interval);
        }
        recycled = interval;
        return interval;
    }

    private void printProgress(long now, long ops, double seconds, Histogram lastSecond) {
        long elapsed = (now - startNanos) / 1_000_000_000L;
        String line = ops == 0 && rec.errorCount() == 0
                ? String.format("%s %d s: warming up", name, elapsed)
                : String.format("%s %d s: %,.0f ops/s, last second p50 %s p99 %s, errors %d", name, elapsed,
                ops / seconds, LoadResult.millis(lastSecond.getValueAtPercentile(50)),
                LoadResult.millis(lastSecond.getValueAtPercentile(99)), rec.errorCount());
        progress.println("keel-bench: " + line);
        progress.flush();
    }

    /** Stops reporting and returns every latency recorded over the run. */
    Histogram finish() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        takeInterval();
        if (log != null) {
            log.close();
        }
        synchronized (total) {
            return total.copy();
        }
    }

    @Override
    public void close() {
        if (!stopping) {
            finish();
        }
    }
}
