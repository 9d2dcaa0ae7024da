package dev.keel.node.metrics;

import java.util.Locale;

/**
 * Writes Prometheus' text exposition format (version 0.0.4), the format etcd's {@code /metrics} serves. Written
 * by hand rather than with a client library: etcd exports gauges whose names end in {@code _total}
 * ({@code etcd_server_proposals_committed_total}), which the client libraries refuse or rename.
 */
public final class MetricsText {
    /** The content type Prometheus scrapers expect for this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final StringBuilder out = new StringBuilder(16 * 1024);

    /** Starts a metric family: its HELP and TYPE lines. */
    public MetricsText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample without labels. */
    public MetricsText sample(String name, double value) {
        out.append(name).append(' ').append(number(value)).append('\n');
        return this;
    }

    /**
     * One sample with labels.
     *
     * @param labels alternating label names and values
     */
    public MetricsText sample(String name, double value, String... labels) {
        out.append(name).append('{');
        for (int i = 0; i < labels.length; i += 2) {
            out.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(escaped(labels[i + 1])).append('"');
        }
        out.append("} ").append(number(value)).append('\n');
        return this;
    }

    /** A whole histogram family: cumulative buckets, {@code +Inf}, sum and count. */
    public MetricsText histogram(String name, String help, Histogram h) {
        family(name, "histogram", help);
        long[] counts = h.bucketCounts();
        double[] bounds = h.bounds();
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts[i];
            sample(name + "_bucket", cumulative, "le", number(bounds[i]));
        }
        cumulative += counts[bounds.length];
        sample(name + "_bucket", cumulative, "le", "+Inf");
        sample(name + "_sum", h.sum());
        sample(name + "_count", cumulative);
        return this;
    }

    /** Go's strconv 'g' style as Prometheus' Go client prints: integers without a fraction. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = Double.toString(v);
        return s.contains("E") ? String.format(Locale.ROOT, "%e", v) : s;
    }

    private static String escaped(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
