package dev.keel.node.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A Prometheus histogram with fixed upper bounds. Recording is a few atomic increments (no lock, no allocation),
 * so the kernel thread can time its {@code fdatasync} with it; a scrape reads the counters as they are.
 */
public final class Histogram {
    private final double[] bounds;
    private final AtomicLongArray counts;
    private final AtomicLong sumNanos = new AtomicLong();

    /** @param bounds the buckets' upper bounds in seconds, ascending */
    public Histogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.counts = new AtomicLongArray(bounds.length + 1);
    }

    /** etcd's exponential buckets: {@code count} bounds from {@code start}, each {@code factor} times the last. */
    public static double[] exponential(double start, double factor, int count) {
        double[] b = new double[count];
        double v = start;
        for (int i = 0; i < count; i++) {
            b[i] = v;
            v *= factor;
        }
        return b;
    }

    /** Records one observation of {@code nanos} nanoseconds. */
    public void recordNanos(long nanos) {
        double seconds = nanos / 1e9;
        int i = 0;
        while (i < bounds.length && seconds > bounds[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        sumNanos.addAndGet(nanos);
    }

    double[] bounds() {
        return bounds;
    }

    /** @return per-bucket (not cumulative) counts; the last element counts observations above every bound */
    long[] bucketCounts() {
        long[] out = new long[counts.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts.get(i);
        }
        return out;
    }

    /** @return the sum of observations in seconds */
    double sum() {
        return sumNanos.get() / 1e9;
    }
}
