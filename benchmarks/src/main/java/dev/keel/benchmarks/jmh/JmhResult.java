package dev.keel.benchmarks.jmh;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark's figures from JMH's JSON results ({@code -rf json}): its name, parameters, mode, primary score
 * with its error and unit, the sample mode's percentiles, and {@code gc.alloc.rate.norm} when the run used
 * {@code -prof gc}.
 *
 * @param benchmark   the fully qualified method name, e.g. {@code dev.keel.benchmarks.raft.X.replicateBatch}
 * @param params      the {@code @Param} values, by name (empty when none)
 * @param mode        JMH's short mode name: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}
 * @param score       the primary metric
 * @param error       its 99.9 % confidence half-width; NaN when JMH could not compute one (one iteration)
 * @param unit        e.g. {@code ops/s}, {@code ns/op}
 * @param p50         the median of a sample-mode run, NaN otherwise
 * @param p99         the 99th percentile of a sample-mode run, NaN otherwise
 * @param allocBytesPerOp bytes allocated per operation, NaN when the run had no GC profiler
 */
public record JmhResult(String benchmark, Map<String, String> params, String mode, double score, double error,
                        String unit, double p50, double p99, double allocBytesPerOp) {
    private static final String ALLOC_NORM = "gc.alloc.rate.norm";

    /**
     * Reads every result in a JMH JSON document.
     *
     * @throws IllegalArgumentException when the text is not JMH's JSON result format, naming what is missing
     */
    public static List<JmhResult> parse(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException("not JMH's JSON results: expected an array of benchmark results");
        }
        List<JmhResult> results = new ArrayList<>();
        JsonArray array = root.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            results.add(one(array.get(i), i));
        }
        return results;
    }

    private static JmhResult one(JsonElement element, int index) {
        if (!element.isJsonObject()) {
            throw new IllegalArgumentException("result " + index + " is not an object");
        }
        JsonObject o = element.getAsJsonObject();
        JsonObject primary = object(o, "primaryMetric", index);
        Map<String, String> params = new TreeMap<>();
        if (o.has("params") && o.get("params").isJsonObject()) {
            for (Map.Entry<String, JsonElement> p : o.getAsJsonObject("params").entrySet()) {
                params.put(p.getKey(), p.getValue().getAsString());
            }
        }
        String mode = text(o, "mode", index);
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        // Only a sample-mode run's percentiles are of single operations; elsewhere they are of iterations.
        if (mode.equals("sample") && primary.has("scorePercentiles")
                && primary.get("scorePercentiles").isJsonObject()) {
            JsonObject percentiles = primary.getAsJsonObject("scorePercentiles");
            p50 = number(percentiles, "50.0");
            p99 = number(percentiles, "99.0");
        }
        return new JmhResult(text(o, "benchmark", index), params, mode, number(primary, "score"),
                number(primary, "scoreError"), text(primary, "scoreUnit", index), p50, p99, allocNorm(o));
    }

    /** JMH before 1.35 prefixed profiler metrics with a middle dot ({@code ·gc.alloc.rate.norm}). */
    private static double allocNorm(JsonObject o) {
        if (!o.has("secondaryMetrics") || !o.get("secondaryMetrics").isJsonObject()) {
            return Double.NaN;
        }
        for (Map.Entry<String, JsonElement> m : o.getAsJsonObject("secondaryMetrics").entrySet()) {
            String name = m.getKey().startsWith("\u00b7") ? m.getKey().substring(1) : m.getKey();
            if (name.equals(ALLOC_NORM) && m.getValue().isJsonObject()) {
                return number(m.getValue().getAsJsonObject(), "score");
            }
        }
        return Double.NaN;
    }

    private static JsonObject object(JsonObject o, String field, int index) {
        if (!o.has(field) || !o.get(field).isJsonObject()) {
            throw new IllegalArgumentException("result " + index + " has no \"" + field + "\" object");
        }
        return o.getAsJsonObject(field);
    }

    private static String text(JsonObject o, String field, int index) {
        if (!o.has(field) || !o.get(field).isJsonPrimitive()) {
            throw new IllegalArgumentException("result " + index + " has no \"" + field + "\"");
        }
        return o.get(field).getAsString();
    }

    /** JMH writes NaN and infinities as strings; a missing number is NaN. */
    private static double number(JsonObject o, String field) {
        if (!o.has(field) || !o.get(field).isJsonPrimitive()) {
            return Double.NaN;
        }
        try {
            return o.get(field).getAsDouble();
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** @return the class and method without the package, then the parameters: {@code X.m (message=append)} */
    public String displayName() {
        int method = benchmark.lastIndexOf('.');
        int type = method > 0 ? benchmark.lastIndexOf('.', method - 1) : -1;
        String name = benchmark.substring(type + 1);
        if (params.isEmpty()) {
            return name;
        }
        StringBuilder b = new StringBuilder(name).append(" (");
        params.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '(' ? "" : ", ").append(k).append('=').append(v));
        return b.append(')').toString();
    }
}
