package dev.keel.benchmarks.compare;

import dev.keel.benchmarks.load.LoadOptions;
import dev.keel.benchmarks.load.Workload;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The measurements {@code bin/keel-compare} makes on each system, named as {@code --workloads} takes them. Every
 * load goes to the leader; keys are 16 bytes out of a space of 10,000, values 256 bytes.
 */
public enum Scenario {
    /** One client, one put at a time: the latency floor (one fsync and the replication round trip). */
    PUT_1("put-1", "put, 1 client", Workload.PUT, 1, 1),
    /** 64 puts in flight over 4 connections: write throughput. */
    PUT_64("put-64", "put, 64 clients", Workload.PUT, 64, 4),
    /** Linearizable reads (ReadIndex), 64 in flight. */
    RANGE_L_64("range-l-64", "range linearizable, 64 clients", Workload.RANGE, 64, 4),
    /** Serializable reads (the member's own store), 64 in flight. */
    RANGE_S_64("range-s-64", "range serializable, 64 clients", Workload.RANGE, 64, 4),
    /** Compare-and-swap transactions on mod_revision, 64 in flight. */
    TXN_CAS_64("txn-cas-64", "txn compare-and-put, 64 clients", Workload.TXN_CAS, 64, 4),
    /** 64 writers at a fixed rate, 100 watchers on the whole key range: latency per delivery. */
    WATCH("watch-64x100", "watch, 64 writers, 100 watchers", Workload.WATCH, 64, 4),
    /** 64 leases kept alive, one keepalive in flight each. */
    LEASE_KEEPALIVE_64("lease-keepalive-64", "lease keepalive, 64 leases", Workload.LEASE_KEEPALIVE, 64, 4),
    /** 80 % linearizable ranges, 20 % puts, 64 in flight. */
    MIXED_64("mixed-64", "mixed 80 % reads, 64 clients", Workload.MIXED, 64, 4),
    /** Resident memory of the members after writing many keys (1 M of 256 B by default). */
    MEMORY("memory", "resident memory with many keys", null, 16, 4);

    /** Watchers of {@link #WATCH}. */
    static final int WATCHERS = 100;
    static final int KEY_SPACE = 10_000;
    static final int KEY_SIZE = 16;
    static final int VALUE_SIZE = 256;
    static final double MIXED_READS = 0.8;
    static final long TIMEOUT_MILLIS = 10_000;

    /** The name {@code --workloads} takes. */
    public final String cli;
    /** What the report calls it. */
    public final String label;
    final Workload workload;
    final int clients;
    final int conns;

    Scenario(String cli, String label, Workload workload, int clients, int conns) {
        this.cli = cli;
        this.label = label;
        this.workload = workload;
        this.clients = clients;
        this.conns = conns;
    }

    /** @return whether this is a load (everything but {@link #MEMORY}) */
    boolean isLoad() {
        return workload != null;
    }

    /**
     * @param leader    the endpoint to load
     * @param watchRate puts per second of the watch writers (an open loop, so both systems get the same offer)
     * @return the load's options
     */
    LoadOptions options(String leader, Duration warmup, Duration measure, double watchRate) {
        return new LoadOptions(workload, List.of(leader), clients, conns, KEY_SIZE, KEY_SPACE, VALUE_SIZE, measure, 0,
                warmup, this == WATCH ? watchRate : 0, WATCHERS, null, true, false, this == RANGE_S_64, MIXED_READS,
                0, TIMEOUT_MILLIS);
    }

    /** @throws IllegalArgumentException naming the scenarios there are */
    static List<Scenario> parseList(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(name -> {
            if (name.equals("all")) {
                return null;
            }
            for (Scenario s : values()) {
                if (s.cli.equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown workload '" + name + "'; known: all, " + names());
        }).flatMap(s -> s == null ? Arrays.stream(values()) : java.util.stream.Stream.of(s)).distinct().toList();
    }

    static String names() {
        return Arrays.stream(values()).map(s -> s.cli).collect(Collectors.joining(", "));
    }
}
