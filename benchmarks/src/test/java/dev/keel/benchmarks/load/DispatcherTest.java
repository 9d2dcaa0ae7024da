package dev.keel.benchmarks.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher on a fake clock against a fake server that answers at once in 1 ms, except one request that
 * stalls for 1 s: the open loop must show the stall in every request it held back (coordinated omission
 * corrected), the closed loop shows it once.
 */
class DispatcherTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A clock that only moves when told to, or when the dispatcher waits for a due time. */
    private static final class FakeTicker implements Ticker {
        long now = 1_000_000_000L;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepUntil(long deadline) {
            now = Math.max(now, deadline);
        }
    }

    /** Answers synchronously after 1 ms of fake time; request number {@code stallAt} takes 1 s. */
    private static Operation server(FakeTicker clock, long stallAt) {
        return (slot, seq, intended, done) -> {
            clock.now += seq == stallAt ? 1_000 * MS : MS;
            done.succeeded();
        };
    }

    private static Histogram run(double rate, long stallAt, Recording rec) throws InterruptedException {
        FakeTicker clock = new FakeTicker();
        Dispatcher d = new Dispatcher(clock, new Dispatcher.Plan(1, rate, 0, TimeUnit.SECONDS.toNanos(10), 0, 1_000));
        d.run(server(clock, stallAt), rec, true);
        return rec.recorder().getIntervalHistogram();
    }

    @Test
    void theOpenLoopRecordsEveryRequestAStallHeldBack() throws InterruptedException {
        Recording rec = new Recording();
        Histogram h = run(100, 500, rec); // one request every 10 ms for 10 s; request 500 stalls 1 s
        assertEquals(1_000, h.getTotalCount(), "every scheduled request is sent and recorded");
        long slow = h.getCountBetweenValues(100 * MS, Long.MAX_VALUE);
        // Requests due during the stall waited for it: the one due 10 ms in waited ~990 ms, the next ~980 ms...
        assertTrue(slow >= 90 && slow <= 115, "requests held back by the stall, recorded slow: " + slow);
        assertTrue(h.getMaxValue() >= 1_000 * MS, "the stalled request itself: " + h.getMaxValue());
        assertTrue(h.getValueAtPercentile(95) >= 400 * MS, "p95 shows the stall: " + h.getValueAtPercentile(95));
        assertEquals(0, rec.counter(Dispatcher.UNSENT));
    }

    @Test
    void theClosedLoopSeesTheStallOnceOnly() throws InterruptedException {
        Histogram h = run(0, 500, new Recording());
        assertEquals(1, h.getCountBetweenValues(100 * MS, Long.MAX_VALUE));
        assertTrue(h.getValueAtPercentile(99.9) <= 2 * MS, "closed loop hides the stall: " + h.getValueAtPercentile(99.9));
    }

    @Test
    void anUnsustainableRateCountsTheRequestsNeverSent() throws InterruptedException {
        Recording rec = new Recording();
        Histogram h = run(2_000, -1, rec); // one every 0.5 ms, but each takes 1 ms on the one client
        assertTrue(h.getTotalCount() >= 9_900 && h.getTotalCount() <= 10_001, "sent: " + h.getTotalCount());
        assertTrue(rec.counter(Dispatcher.UNSENT) >= 9_900, "never sent: " + rec.counter(Dispatcher.UNSENT));
        assertTrue(h.getMaxValue() >= 4_000 * MS, "the backlog grows to ~5 s: " + h.getMaxValue());
    }

    @Test
    void warmUpIsNotRecordedAndTotalEndsTheRun() throws InterruptedException {
        FakeTicker clock = new FakeTicker();
        Recording rec = new Recording();
        Dispatcher.Outcome out = new Dispatcher(clock, new Dispatcher.Plan(1, 0, 50 * MS, 0, 200, 1_000))
                .run(server(clock, -1), rec, true);
        assertEquals(200, rec.recorder().getIntervalHistogram().getTotalCount());
        assertEquals(0.2, out.seconds(), 0.002);
    }

    @Test
    void failuresAreCountedByStatus() throws InterruptedException {
        FakeTicker clock = new FakeTicker();
        Recording rec = new Recording();
        new Dispatcher(clock, new Dispatcher.Plan(2, 0, 0, 0, 10, 1_000)).run((slot, seq, intended, done) -> {
            clock.now += MS;
            done.failed(io.grpc.Status.UNAVAILABLE.asRuntimeException());
        }, rec, true);
        assertEquals(java.util.Map.of("UNAVAILABLE", 10L), rec.errors());
    }
}
