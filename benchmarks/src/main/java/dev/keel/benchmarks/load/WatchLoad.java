package dev.keel.benchmarks.load;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code watch} workload: {@code --watchers} Watch streams (spread over the connections), each watching the
 * whole key range, and writers putting keys in it. Each put carries its intended send time in its value's first
 * 8 bytes; every delivery of its event to every watcher records {@code now - that time}, so the histogram holds
 * one latency per delivery (puts × watchers). Writer and watchers share the ticker, as they share one JVM.
 */
final class WatchLoad implements AutoCloseable {
    /** Counter: puts of the measured phase that succeeded (each owes one delivery to every watcher). */
    static final String PUTS = "puts";
    /** Counter: deliveries owed but not seen when the run stopped waiting. */
    static final String MISSED = "missed-deliveries";

    private final Connections connections;
    private final Keys keys;
    private final Recording rec;
    private final Ticker ticker;
    private final List<StreamObserver<WatchRequest>> streams = new ArrayList<>();
    private final AtomicLong deliveries = new AtomicLong();

    WatchLoad(Connections connections, Keys keys, Recording rec, Ticker ticker) {
        this.connections = connections;
        this.keys = keys;
        this.rec = rec;
        this.ticker = ticker;
    }

    /** Opens the watch streams and waits until every watcher is created. */
    void open(int watchers, long timeoutMillis) throws InterruptedException {
        CountDownLatch created = new CountDownLatch(watchers);
        WatchRequest create = WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(Keys.rangeStart()).setRangeEnd(Keys.rangeEnd())).build();
        for (int i = 0; i < watchers; i++) {
            StreamObserver<WatchRequest> s = connections.watch(i).watch(new Watcher(created));
            s.onNext(create);
            streams.add(s);
        }
        if (!created.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException((watchers - created.getCount()) + " of " + watchers
                    + " watchers created within " + timeoutMillis + " ms");
        }
    }

    /** @return the writers' put: a random key, the value stamped with the put's intended send time */
    Operation writer() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        return (slot, seq, intended, done) -> {
            PutRequest put = PutRequest.newBuilder().setKey(keys.key(random.nextInt(keys.space())))
                    .setValue(keys.stampedValue(intended)).build();
            connections.kv(slot).put(put, new Unary<>(done, r -> {
                if (rec.measured(intended)) {
                    rec.count(PUTS);
                }
            }));
        };
    }

    /** Waits up to {@code timeoutMillis} for every owed delivery; counts the ones that did not come. */
    void awaitDeliveries(int watchers, long timeoutMillis) {
        long owed = rec.counter(PUTS) * watchers;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (deliveries.get() < owed && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // a poll of a counter; the deadline bounds it
        }
        for (long missed = owed - deliveries.get(); missed > 0; missed--) {
            rec.count(MISSED);
        }
    }

    @Override
    public void close() {
        for (StreamObserver<WatchRequest> s : streams) {
            try {
                s.onCompleted();
            } catch (RuntimeException alreadyClosed) {
                // the stream failed earlier and was counted then
            }
        }
    }

    /** One watcher's responses. */
    private final class Watcher implements StreamObserver<WatchResponse> {
        private final CountDownLatch created;

        Watcher(CountDownLatch created) {
            this.created = created;
        }

        @Override
        public void onNext(WatchResponse r) {
            if (r.getCreated()) {
                created.countDown();
            }
            if (r.getCanceled()) {
                rec.failure(Status.CANCELLED.withDescription("watch canceled: " + r.getCancelReason())
                        .asRuntimeException(), true);
            }
            long now = ticker.nanoTime();
            for (Event e : r.getEventsList()) {
                long stamp = Keys.stampOf(e.getKv().getValue());
                if (e.getType() == Event.EventType.PUT && rec.measured(stamp)) {
                    rec.latency(now - stamp);
                    deliveries.incrementAndGet();
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            rec.failure(t, true);
        }

        @Override
        public void onCompleted() {
            // the run ends the streams itself
        }
    }
}
