package dev.keel.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One run of {@code bin/keel-bench}: what to send, where, how hard, for how long.
 *
 * @param workload        the request mix
 * @param endpoints       members' client endpoints, {@code host:port}
 * @param clients         requests in flight at most (one per client)
 * @param conns           HTTP/2 connections the clients share (round robin over the endpoints)
 * @param keySize         bytes per key
 * @param keySpace        distinct keys
 * @param valSize         bytes per value
 * @param duration        the measured phase's length (null when {@code total} ends it)
 * @param total           measured requests (0 when {@code duration} ends the run)
 * @param warmup          unrecorded load first
 * @param rate            open loop at this many requests per second; 0 for the closed loop
 * @param watchers        watch streams on the key range ({@code watch})
 * @param hlog            HdrHistogram interval log to write, or null
 * @param toLeader        send everything to the member that leads
 * @param json            JSON result instead of text
 * @param serializable    ranges are serializable (else linearizable)
 * @param readRatio       share of ranges in {@code mixed}
 * @param progressSeconds seconds between progress lines (0: none)
 * @param timeoutMillis   a unary request's deadline
 */
public record LoadOptions(Workload workload, List<String> endpoints, int clients, int conns, int keySize,
                          int keySpace, int valSize, Duration duration, long total, Duration warmup, double rate,
                          int watchers, Path hlog, boolean toLeader, boolean json, boolean serializable,
                          double readRatio, int progressSeconds, long timeoutMillis) {
    /** The defaults of {@code bin/keel-bench WORKLOAD} with no flags. */
    public static LoadOptions defaults(Workload w) {
        return new LoadOptions(w, List.of("127.0.0.1:2379"), 1, 1, 8, 1000, 256, Duration.ofSeconds(10), 0,
                Duration.ofSeconds(5), 0, 10, null, false, false, false, 0.5, 5, 10_000);
    }

    /** Checks ranges, saying which flag is wrong. */
    public LoadOptions {
        require(!endpoints.isEmpty(), "--endpoints needs at least one host:port");
        require(clients >= 1 && clients <= 100_000, "--clients must be 1..100000");
        require(conns >= 1 && conns <= 1_000, "--conns must be 1..1000");
        require(keySize >= 1 && keySize <= 1 << 20, "--key-size must be 1..1048576");
        require(keySpace >= 1, "--key-space must be at least 1");
        require(valSize >= 0 && valSize <= 1 << 20, "--val-size must be 0..1048576");
        require((duration == null) != (total == 0), "give --duration or --total, not both");
        require(duration == null || !duration.isNegative() && !duration.isZero(), "--duration must be positive");
        require(total >= 0, "--total must be positive");
        require(!warmup.isNegative(), "--warmup must not be negative");
        require(rate >= 0, "--rate must not be negative");
        require(watchers >= 1 && watchers <= 100_000, "--watchers must be 1..100000");
        require(readRatio >= 0 && readRatio <= 1, "--read-ratio must be 0..1");
        require(workload != Workload.WATCH || valSize >= 8, "watch needs --val-size >= 8 (the send time rides in it)");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** @return these options with other endpoints */
    public LoadOptions withEndpoints(List<String> eps) {
        return new LoadOptions(workload, eps, clients, conns, keySize, keySpace, valSize, duration, total, warmup,
                rate, watchers, hlog, toLeader, json, serializable, readRatio, progressSeconds, timeoutMillis);
    }

    /** @return these options with another workload, load and length (for runs built in code) */
    public LoadOptions with(Workload w, int clientCount, int connCount, double perSecond, Duration warm,
                            Duration measure) {
        return new LoadOptions(w, endpoints, clientCount, connCount, keySize, keySpace, valSize, measure, 0, warm,
                perSecond, watchers, hlog, toLeader, json, serializable, readRatio, progressSeconds, timeoutMillis);
    }

    /** @return these options with other watch, range and mix settings */
    public LoadOptions withShape(int watcherCount, boolean serial, double reads, int keys) {
        return new LoadOptions(workload, endpoints, clients, conns, keySize, keys, valSize, duration, total, warmup,
                rate, watcherCount, hlog, toLeader, json, serial, reads, progressSeconds, timeoutMillis);
    }

    /** @return these options with another interval log (null: none) and progress cadence */
    public LoadOptions withOutput(Path log, int progress) {
        return new LoadOptions(workload, endpoints, clients, conns, keySize, keySpace, valSize, duration, total,
                warmup, rate, watchers, log, toLeader, json, serializable, readRatio, progress, timeoutMillis);
    }
}
