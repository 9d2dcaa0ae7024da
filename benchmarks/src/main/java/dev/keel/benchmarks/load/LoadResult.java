package dev.keel.benchmarks.load;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one run of a workload measured.
 *
 * @param workload     what was sent
 * @param ops          measured successful operations (watch: deliveries)
 * @param seconds      the measured phase's length
 * @param latencyNanos every measured latency
 * @param errors       failures of the measured phase by gRPC status
 * @param counters     workload-specific counts (puts behind watch deliveries, CAS misses, unsent requests...)
 */
public record LoadResult(Workload workload, long ops, double seconds, Histogram latencyNanos,
                         Map<String, Long> errors, Map<String, Long> counters) {
    /** The percentiles every report prints. */
    public static final double[] PERCENTILES = {50, 90, 99, 99.9};

    /** @return operations per second */
    public double opsPerSecond() {
        return seconds <= 0 ? 0 : ops / seconds;
    }

    /** @return the latency at {@code percentile} (0..100) in microseconds */
    public double micros(double percentile) {
        return latencyNanos.getValueAtPercentile(percentile) / 1e3;
    }

    /** @return the largest latency in microseconds */
    public double maxMicros() {
        return latencyNanos.getMaxValue() / 1e3;
    }

    /** @return failed requests of the measured phase */
    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return this and {@code other} as one run: histograms merged, counts and time summed */
    public LoadResult plus(LoadResult other) {
        Histogram h = latencyNanos.copy();
        h.add(other.latencyNanos);
        return new LoadResult(workload, ops + other.ops, seconds + other.seconds, h, sum(errors, other.errors),
                sum(counters, other.counters));
    }

    private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Long::sum));
        return out;
    }

    /** @return a few human lines */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%s: %,d ops in %.1f s = %,.1f ops/s%n", workload.cli, ops, seconds, opsPerSecond()));
        b.append("latency:");
        for (double p : PERCENTILES) {
            b.append(String.format(" p%s %s", label(p), millis(latencyNanos.getValueAtPercentile(p))));
        }
        b.append(String.format(" max %s%n", millis(latencyNanos.getMaxValue())));
        b.append("errors: ").append(errors.isEmpty() ? "none" : join(errors)).append('\n');
        if (!counters.isEmpty()) {
            b.append("counts: ").append(join(counters)).append('\n');
        }
        return b.toString();
    }

    /** @return one JSON object; latencies in microseconds */
    public String json() {
        StringBuilder b = new StringBuilder("{\"workload\":\"").append(workload.cli).append("\"");
        b.append(String.format(",\"ops\":%d,\"seconds\":%.3f,\"opsPerSecond\":%.1f,\"latencyMicros\":{", ops, seconds,
                opsPerSecond()));
        for (double p : PERCENTILES) {
            b.append(String.format("\"p%s\":%.1f,", label(p), micros(p)));
        }
        b.append(String.format("\"max\":%.1f},\"errors\":%s,\"counters\":%s}", maxMicros(), jsonMap(errors),
                jsonMap(counters)));
        return b.toString();
    }

    private static String jsonMap(Map<String, Long> m) {
        return m.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String join(Map<String, Long> m) {
        return m.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** @return {@code 50} for 50.0, {@code 99.9} for 99.9 */
    public static String label(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    /** @return nanoseconds as milliseconds with three decimals, e.g. {@code 1.234 ms} */
    public static String millis(long nanos) {
        return String.format("%.3f ms", nanos / 1e6);
    }
}
