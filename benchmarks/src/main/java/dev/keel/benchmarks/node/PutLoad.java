package dev.keel.benchmarks.node;

import dev.keel.benchmarks.load.Connections;
import dev.keel.benchmarks.load.LoadOptions;
import dev.keel.benchmarks.load.LoadResult;
import dev.keel.benchmarks.load.LoadRun;
import dev.keel.benchmarks.load.Ticker;
import dev.keel.benchmarks.load.Workload;
import org.HdrHistogram.Histogram;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The load of the node-vs-etcd comparison: etcd's {@code KV.Put} over gRPC, run by {@code bin/keel-bench}'s
 * load code ({@link LoadRun}), the same for Keel and for etcd. Keys are 12 bytes ({@code k00000000000} ..
 * {@code k00000999999}, random), values 256 random bytes. A warm-up phase runs first and is not recorded; then
 * every put that completes in the measured phase has its latency (send to response) in an HdrHistogram.
 */
public final class PutLoad {
    /** Bytes of every value. */
    public static final int VALUE_BYTES = 256;
    private static final int KEY_SPACE = 1_000_000;
    private static final int KEY_BYTES = 12;
    private static final long RESPONSE_TIMEOUT_MILLIS = 10_000;
    /** A run with more failed puts than this is abandoned: the cluster is not serving. */
    private static final long MAX_ERRORS = 1_000;

    private PutLoad() {
    }

    /**
     * What one measured phase gave.
     *
     * @param ops           puts completed in the measured phase
     * @param seconds       the measured phase's length
     * @param errors        puts that failed during warm-up and measurement
     * @param latencyNanos  every measured put's latency
     * @param cpuMillis     CPU time the cluster's member processes used in the measured phase (0 if not known)
     */
    public record Result(long ops, double seconds, long errors, Histogram latencyNanos, double cpuMillis) {
        /** A result without the members' CPU time. */
        public Result(long ops, double seconds, long errors, Histogram latencyNanos) {
            this(ops, seconds, errors, latencyNanos, 0);
        }

        /** @return this result with the members' CPU time in the measured phase */
        public Result withCpuMillis(double millis) {
            return new Result(ops, seconds, errors, latencyNanos, millis);
        }

        /** @return CPU milliseconds the members spent per put (all members together) */
        public double cpuMillisPerPut() {
            return ops == 0 ? 0 : cpuMillis / ops;
        }

        /** @return completed puts per second */
        public double opsPerSecond() {
            return ops / seconds;
        }

        /** @return the latency at {@code percentile} (0..100), in microseconds */
        public double micros(double percentile) {
            return latencyNanos.getValueAtPercentile(percentile) / 1000.0;
        }

        /** @return this result and {@code other} as one (histograms merged, counts and time summed) */
        public Result plus(Result other) {
            Histogram merged = latencyNanos.copy();
            merged.add(other.latencyNanos);
            return new Result(ops + other.ops, seconds + other.seconds, errors + other.errors, merged,
                    cpuMillis + other.cpuMillis);
        }
    }

    /**
     * One client, one put at a time (a closed loop): each put is sent when the previous one answered.
     *
     * @param endpoint {@code host:port} of the member to write to (the leader)
     */
    public static Result closedLoop(String endpoint, Duration warmup, Duration measure)
            throws InterruptedException {
        return concurrent(endpoint, 1, 1, warmup, measure);
    }

    /**
     * {@code outstanding} puts in flight at all times, spread over {@code connections} HTTP/2 connections: a put
     * is sent as soon as one answers ({@code bin/keel-bench put --clients N --conns M}'s load).
     *
     * @param endpoint {@code host:port} of the member to write to (the leader)
     */
    public static Result concurrent(String endpoint, int outstanding, int connections, Duration warmup,
                                    Duration measure) throws InterruptedException {
        if (outstanding < 1 || connections < 1) {
            throw new IllegalArgumentException("need at least one put in flight and one connection");
        }
        LoadOptions o = new LoadOptions(Workload.PUT, List.of(endpoint), outstanding, connections, KEY_BYTES,
                KEY_SPACE, VALUE_BYTES, measure, 0, warmup, 0, 1, null, false, false, false, 0, 0,
                RESPONSE_TIMEOUT_MILLIS);
        LoadResult r;
        try (Connections c = new Connections(o.endpoints(), o.conns(), o.timeoutMillis())) {
            r = LoadRun.run(o, c, Ticker.SYSTEM, new PrintStream(OutputStream.nullOutputStream()));
        }
        if (r.errorCount() > MAX_ERRORS) {
            throw new IllegalStateException(endpoint + " fails its puts: " + r.errors());
        }
        return new Result(r.ops(), r.seconds(), r.errorCount(), r.latencyNanos());
    }

    /**
     * {@code PutLoad ENDPOINT [OUTSTANDING [CONNECTIONS [WARMUP_S [MEASURE_S]]]]}: one run against a running
     * member, for profiling by hand; OUTSTANDING 1 (the default) is the closed loop.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: PutLoad ENDPOINT [OUTSTANDING [CONNECTIONS [WARMUP_S [MEASURE_S]]]]");
            System.exit(2);
        }
        int outstanding = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Duration warmup = Duration.ofSeconds(args.length > 3 ? Integer.parseInt(args[3]) : 5);
        Duration measure = Duration.ofSeconds(args.length > 4 ? Integer.parseInt(args[4]) : 15);
        Result r = outstanding == 1 ? closedLoop(args[0], warmup, measure)
                : concurrent(args[0], outstanding, connections, warmup, measure);
        System.out.printf("%,.0f puts/s, p50 %.0f us, p90 %.0f us, p99 %.0f us, max %.0f us, %d errors%n",
                r.opsPerSecond(), r.micros(50), r.micros(90), r.micros(99), r.latencyNanos().getMaxValue() / 1e3,
                r.errors());
        System.exit(0);
    }
}
