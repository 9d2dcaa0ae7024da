package dev.keel.benchmarks.load;

import io.grpc.Status;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one run records, from any thread: measured latencies (an HdrHistogram {@link Recorder}, read in
 * intervals by the reporter), failures by gRPC status, and named counters (puts behind watch deliveries,
 * compare-and-swap misses...). Only what belongs to the measured phase is recorded; warm-up failures are
 * counted apart.
 */
public final class Recording {
    /** Latencies above this (nanoseconds) are recorded as this. */
    public static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final Recorder latency = new Recorder(HIGHEST_NANOS, 3);
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final LongAdder warmupErrors = new LongAdder();
    private volatile long measureFrom = Long.MIN_VALUE;
    private volatile long measureUntil = Long.MAX_VALUE;

    /** Sets the measured phase, in ticker nanoseconds: requests intended in {@code [from, until)} count. */
    void measuredPhase(long from, long until) {
        this.measureFrom = from;
        this.measureUntil = until;
    }

    /** @return whether a request meant for {@code intendedNanos} belongs to the measured phase */
    public boolean measured(long intendedNanos) {
        return intendedNanos - measureFrom >= 0 && intendedNanos - measureUntil < 0;
    }

    /** Records one measured latency. */
    public void latency(long nanos) {
        latency.recordValue(Math.max(0, Math.min(nanos, HIGHEST_NANOS)));
    }

    /** Counts one failure under its gRPC status code (or the exception's class when it has none). */
    public void failure(Throwable cause, boolean measured) {
        if (!measured) {
            warmupErrors.increment();
            return;
        }
        Status status = Status.fromThrowable(cause);
        String key = status.getCode() == Status.Code.UNKNOWN && status.getDescription() == null
                ? cause.getClass().getSimpleName() : status.getCode().name();
        errors.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Adds one to the counter {@code name}. */
    public void count(String name) {
        counters.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    /** @return the current value of counter {@code name} */
    public long counter(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    Recorder recorder() {
        return latency;
    }

    /** @return failures of the measured phase by status, sorted */
    Map<String, Long> errors() {
        return snapshot(errors);
    }

    /** @return every counter, sorted */
    Map<String, Long> counters() {
        Map<String, Long> c = snapshot(counters);
        if (warmupErrors.sum() > 0) {
            c.put("warmup-errors", warmupErrors.sum());
        }
        return c;
    }

    /** @return failures so far, measured phase only */
    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
