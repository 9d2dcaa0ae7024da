package dev.keel.benchmarks.load;

import java.io.PrintStream;
import java.time.Duration;

/**
 * One workload run over open connections: preparation (the key space written for reads, watchers created,
 * leases granted), the warm-up and measured phases through a {@link Dispatcher}, the end (deliveries awaited,
 * leases revoked), and the result. {@code bin/keel-bench} runs one; {@code bin/keel-compare} runs many.
 */
public final class LoadRun {
    /** Requests in flight while the key space is filled before a read workload. */
    private static final int FILL_CLIENTS = 16;
    private static final long SETUP_TIMEOUT_MILLIS = 30_000;

    private LoadRun() {
    }

    /** Runs {@code o}'s workload on {@code c}; progress lines go to {@code progress}. */
    public static LoadResult run(LoadOptions o, Connections c, Ticker ticker, PrintStream progress)
            throws InterruptedException {
        Keys keys = new Keys(o.keySize(), o.keySpace(), o.valSize());
        if (o.workload() == Workload.RANGE || o.workload() == Workload.MIXED) {
            fill(c, keys, o.keySpace(), ticker, progress, o.timeoutMillis());
        }
        Recording rec = new Recording();
        Dispatcher.Plan plan = new Dispatcher.Plan(o.clients(), o.rate(), o.warmup().toNanos(),
                o.duration() == null ? 0 : o.duration().toNanos(), o.total(), o.timeoutMillis() + 5_000);
        Dispatcher.Outcome outcome;
        try (Reporter reporter = new Reporter(rec, o.workload().cli, o.hlog(), o.progressSeconds(), progress)) {
            outcome = switch (o.workload()) {
                case PUT -> new Dispatcher(ticker, plan).run(KvOperations.put(c, keys), rec, true);
                case RANGE -> new Dispatcher(ticker, plan).run(KvOperations.range(c, keys, o.serializable()), rec,
                        true);
                case MIXED -> new Dispatcher(ticker, plan).run(KvOperations.mixed(c, keys, o.readRatio(),
                        o.serializable()), rec, true);
                case TXN_CAS -> new Dispatcher(ticker, plan).run(KvOperations.txnCas(c, keys, rec), rec, true);
                case WATCH -> watch(o, c, keys, rec, ticker, plan);
                case LEASE_KEEPALIVE -> leases(o, c, rec, ticker, plan);
            };
            org.HdrHistogram.Histogram latency = reporter.finish();
            return new LoadResult(o.workload(), latency.getTotalCount(), outcome.seconds(), latency, rec.errors(),
                    rec.counters());
        }
    }

    private static Dispatcher.Outcome watch(LoadOptions o, Connections c, Keys keys, Recording rec, Ticker ticker,
                                            Dispatcher.Plan plan) throws InterruptedException {
        try (WatchLoad w = new WatchLoad(c, keys, rec, ticker)) {
            w.open(o.watchers(), SETUP_TIMEOUT_MILLIS);
            Dispatcher.Outcome out = new Dispatcher(ticker, plan).run(w.writer(), rec, false);
            w.awaitDeliveries(o.watchers(), o.timeoutMillis());
            return out;
        }
    }

    private static Dispatcher.Outcome leases(LoadOptions o, Connections c, Recording rec, Ticker ticker,
                                             Dispatcher.Plan plan) throws InterruptedException {
        try (LeaseLoad l = new LeaseLoad(c, o.clients())) {
            return new Dispatcher(ticker, plan).run(l.keepAlive(), rec, true);
        }
    }

    /**
     * Writes {@code count} keys of the key space in transactions of 128 puts (etcd's and Keel's
     * {@code --max-txn-ops}), {@link #FILL_CLIENTS} in flight.
     *
     * @return how long it took
     * @throws IllegalStateException if a transaction failed
     */
    public static Duration fill(Connections c, Keys keys, long count, Ticker ticker, PrintStream progress,
                                long timeoutMillis) throws InterruptedException {
        long txns = (count + KvOperations.MAX_TXN_OPS - 1) / KvOperations.MAX_TXN_OPS;
        progress.printf("keel-bench: writing %,d keys in %,d transactions%n", count, txns);
        Recording rec = new Recording();
        long start = System.nanoTime();
        new Dispatcher(ticker, new Dispatcher.Plan(FILL_CLIENTS, 0, 0, 0, txns, timeoutMillis + 5_000))
                .run(KvOperations.fill(c, keys, count), rec, true);
        if (rec.errorCount() > 0 || rec.counter(Dispatcher.UNANSWERED) > 0) {
            throw new IllegalStateException("writing the key space failed: " + rec.errors() + " "
                    + rec.counters());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
