package dev.keel.benchmarks.load;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends an {@link Operation} from a fixed number of clients, each with at most one request in flight, in one of
 * two loops:
 * <ul>
 *   <li><b>closed</b> (no rate): a client sends its next request as soon as its last one answered; latency is
 *       measured from the actual send;</li>
 *   <li><b>open</b> (a rate): request {@code i} is due at {@code start + i / rate} whatever happened before, and
 *       its latency is measured from that <em>intended</em> time. When every client is busy (the server stalls),
 *       due requests wait for a free client, and that wait is part of their latency: the correction for
 *       coordinated omission that HdrHistogram and wrk2 make. A closed loop would record one slow request for
 *       a stall; the open loop records every request the stall held back.</li>
 * </ul>
 * Requests intended before the end of the warm-up are sent but not recorded.
 */
public final class Dispatcher {
    /** Counter: requests the schedule meant to send in the measured phase that no free client could send in time. */
    public static final String UNSENT = "unsent";
    /** Counter: requests still unanswered when the run gave up waiting at its end. */
    public static final String UNANSWERED = "unanswered";

    private final Ticker ticker;
    private final Plan plan;

    /**
     * How long and how fast one run goes.
     *
     * @param clients       requests in flight at most
     * @param rate          requests per second of the open loop; 0 for the closed loop
     * @param warmupNanos   unrecorded phase first
     * @param measureNanos  measured phase length; 0 when {@code total} ends the run
     * @param total         measured requests to send; 0 when {@code measureNanos} ends the run
     * @param drainMillis   how long the end waits for requests in flight
     */
    public record Plan(int clients, double rate, long warmupNanos, long measureNanos, long total, long drainMillis) {
        /** Checks the plan's consistency. */
        public Plan {
            if (clients < 1 || rate < 0 || warmupNanos < 0 || measureNanos < 0 || total < 0) {
                throw new IllegalArgumentException("a plan needs clients >= 1 and no negative figure");
            }
            if ((measureNanos == 0) == (total == 0)) {
                throw new IllegalArgumentException("a plan ends by duration or by total, exactly one of them");
            }
        }
    }

    /**
     * When the measured phase ran.
     *
     * @param measureFrom the ticker's time the measured phase began
     * @param finishedAt  the ticker's time the last request answered
     */
    public record Outcome(long measureFrom, long finishedAt) {
        /** @return the measured phase's length in seconds */
        public double seconds() {
            return Math.max(1, finishedAt - measureFrom) / 1e9;
        }
    }

    /** A dispatcher on {@code ticker} that runs {@code plan}. */
    public Dispatcher(Ticker ticker, Plan plan) {
        this.ticker = ticker;
        this.plan = plan;
    }

    /**
     * Runs the plan.
     *
     * @param recordCompletions whether an answered request's latency goes into the histogram (false when the
     *                          operation records its own, like watch deliveries)
     */
    public Outcome run(Operation op, Recording rec, boolean recordCompletions) throws InterruptedException {
        BlockingQueue<Integer> free = new ArrayBlockingQueue<>(plan.clients());
        for (int i = 0; i < plan.clients(); i++) {
            free.add(i);
        }
        long start = ticker.nanoTime();
        long measureFrom = start + plan.warmupNanos();
        long end = plan.total() > 0 ? Long.MAX_VALUE : measureFrom + plan.measureNanos();
        rec.measuredPhase(measureFrom, end);
        double interval = plan.rate() > 0 ? 1e9 / plan.rate() : 0;
        long measuredSent = 0;
        for (long seq = 0; ; seq++) {
            long intended = start + (long) (seq * interval);
            if (interval > 0) {
                if (intended - end >= 0) {
                    break;
                }
                ticker.sleepUntil(intended);
            }
            int slot = free.take();
            long now = ticker.nanoTime();
            if (interval == 0) {
                intended = now;
            }
            if (now - end >= 0) {
                free.add(slot);
                countUnsent(rec, intended, end, interval);
                break;
            }
            boolean measured = intended - measureFrom >= 0;
            op.start(slot, seq, intended, new Done(slot, intended, measured, recordCompletions, rec, free));
            if (measured && plan.total() > 0 && ++measuredSent >= plan.total()) {
                break;
            }
        }
        drain(free, rec);
        return new Outcome(measureFrom, ticker.nanoTime());
    }

    private static void countUnsent(Recording rec, long intended, long end, double interval) {
        if (interval > 0) {
            for (long n = (long) Math.ceil((end - intended) / interval); n > 0; n--) {
                rec.count(UNSENT);
            }
        }
    }

    private void drain(BlockingQueue<Integer> free, Recording rec) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(plan.drainMillis());
        int back = 0;
        while (back < plan.clients()) {
            long left = deadline - System.nanoTime();
            if (free.poll(Math.max(0, left), TimeUnit.NANOSECONDS) == null) {
                for (int i = back; i < plan.clients(); i++) {
                    rec.count(UNANSWERED);
                }
                return;
            }
            back++;
        }
    }

    /** One request's completion: records it, then frees its client. */
    private final class Done implements Operation.Completion {
        private final int slot;
        private final long intended;
        private final boolean measured;
        private final boolean recordLatency;
        private final Recording rec;
        private final BlockingQueue<Integer> free;

        Done(int slot, long intended, boolean measured, boolean recordLatency, Recording rec,
             BlockingQueue<Integer> free) {
            this.slot = slot;
            this.intended = intended;
            this.measured = measured;
            this.recordLatency = recordLatency;
            this.rec = rec;
            this.free = free;
        }

        @Override
        public void succeeded() {
            if (measured && recordLatency) {
                rec.latency(ticker.nanoTime() - intended);
            }
            free.add(slot);
        }

        @Override
        public void failed(Throwable cause) {
            rec.failure(cause, measured);
            free.add(slot);
        }
    }
}
