package dev.keel.benchmarks.load;

import io.etcd.jetcd.api.StatusResponse;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code bin/keel-bench}: a load generator over etcd's v3 gRPC API, for Keel and etcd alike, modeled on etcd's
 * {@code tools/benchmark} ({@code put}, {@code range}, {@code txn-put}, {@code watch-latency},
 * {@code lease-keepalive}) with a fixed-rate open loop that corrects for coordinated omission and an
 * HdrHistogram interval log. The result goes to stdout (text or JSON), progress lines to stderr.
 */
public final class KeelBench {
    /** The process's exit status (sysexits.h where one fits). */
    enum Exit {
        OK(0), FAILED(70), USAGE(64), UNAVAILABLE(69);

        final int code;

        Exit(int code) {
            this.code = code;
        }
    }

    private KeelBench() {
    }

    /** Runs {@code bin/keel-bench}; see {@link LoadFlags#USAGE}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err).code);
    }

    static Exit run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(LoadFlags.USAGE);
            return Exit.OK;
        }
        LoadOptions o;
        try {
            o = LoadFlags.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("keel-bench: " + e.getMessage() + " (keel-bench --help lists the flags)");
            return Exit.USAGE;
        }
        try {
            o = o.withEndpoints(target(o));
        } catch (Connections.Unreachable e) {
            err.println("keel-bench: " + e.getMessage() + "; is a member running there? Start one with"
                    + " bin/keel-cluster start 3, or pass --endpoints");
            return Exit.UNAVAILABLE;
        } catch (IllegalStateException e) {
            err.println("keel-bench: " + e.getMessage());
            return Exit.UNAVAILABLE;
        }
        err.printf("keel-bench: %s against %s, %d clients over %d connections, %s%n", o.workload().cli,
                String.join(",", o.endpoints()), o.clients(), o.conns(),
                o.rate() > 0 ? "open loop at " + o.rate() + " requests/s" : "closed loop");
        try (Connections c = new Connections(o.endpoints(), o.conns(), o.timeoutMillis())) {
            LoadResult r = LoadRun.run(o, c, Ticker.SYSTEM, err);
            out.print(o.json() ? r.json() + "\n" : r.text());
            out.flush();
            return Exit.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("keel-bench: interrupted");
            return Exit.FAILED;
        } catch (RuntimeException e) {
            err.println("keel-bench: the run failed: " + e.getMessage()
                    + "; check the members' logs and that the endpoints serve etcd's v3 API");
            return Exit.FAILED;
        }
    }

    /** @return the endpoints to load: all of them (each checked to answer), or the leader's alone */
    private static List<String> target(LoadOptions o) throws Connections.Unreachable {
        List<StatusResponse> statuses = Connections.statuses(o.endpoints(), 3_000);
        if (!o.toLeader()) {
            return o.endpoints();
        }
        String leader = Connections.leader(o.endpoints(), statuses);
        if (leader == null) {
            throw new IllegalStateException("none of " + o.endpoints() + " leads now (no leader, or the leader is"
                    + " not among the endpoints); pass every member in --endpoints or retry once one is elected");
        }
        return List.of(leader);
    }
}
