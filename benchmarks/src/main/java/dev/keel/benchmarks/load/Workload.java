package dev.keel.benchmarks.load;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The request mixes {@code bin/keel-bench} sends, named as on its command line. */
public enum Workload {
    /** {@code KV.Put} of random keys of the key space. */
    PUT("put"),
    /** {@code KV.Range} of one random key (linearizable or serializable). */
    RANGE("range"),
    /** {@code KV.Txn}: if the key's mod_revision is the last one seen, put it; else read it. */
    TXN_CAS("txn-cas"),
    /** Puts on a key range watched by many watchers; latency is the put's send to each delivery. */
    WATCH("watch"),
    /** {@code Lease.LeaseKeepAlive} round trips, one lease per client. */
    LEASE_KEEPALIVE("lease-keepalive"),
    /** Ranges and puts, a share {@code --read-ratio} of them ranges. */
    MIXED("mixed");

    /** The workload's command-line name. */
    public final String cli;

    Workload(String cli) {
        this.cli = cli;
    }

    /** @throws IllegalArgumentException naming the workloads there are */
    public static Workload parse(String name) {
        for (Workload w : values()) {
            if (w.cli.equals(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + name + "'; one of " + names());
    }

    /** @return the workloads' names, comma-separated */
    public static String names() {
        return Arrays.stream(values()).map(w -> w.cli).collect(Collectors.joining(", "));
    }
}
