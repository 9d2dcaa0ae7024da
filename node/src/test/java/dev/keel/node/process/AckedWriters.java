package dev.keel.node.process;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.PutRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Client threads writing unique keys ({@code <prefix><thread>-<n>}) as fast as the cluster acknowledges them,
 * recording exactly the puts that were acknowledged: after any crash every one of them must still be there.
 * A failed put is never retried under the same key (it may or may not have been applied); the thread moves on
 * to the next endpoint and the next key.
 */
public final class AckedWriters implements AutoCloseable {
    private final String prefix;
    private final Supplier<List<String>> endpoints;
    private final long limit;
    private final Map<String, String> acked = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong failures = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    private AckedWriters(String prefix, Supplier<List<String>> endpoints, long limit) {
        this.prefix = prefix;
        this.endpoints = endpoints;
        this.limit = limit;
    }

    /**
     * Starts {@code threads} writers.
     *
     * @param endpoints where to send puts, asked again after every failure (thread t starts at entry t)
     * @param limit     the writers stop once this many puts were acknowledged ({@code Long.MAX_VALUE}: never)
     */
    public static AckedWriters start(String prefix, int threads, Supplier<List<String>> endpoints, long limit) {
        AckedWriters w = new AckedWriters(prefix, endpoints, limit);
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> w.write(id), "acked-writer-" + prefix + t);
            thread.setDaemon(true);
            w.threads.add(thread);
            thread.start();
        }
        return w;
    }

    private void write(int thread) {
        int target = thread;
        for (long n = 0; !stopping.get() && acked.size() < limit; n++) {
            List<String> to = endpoints.get();
            if (to.isEmpty()) {
                Waits.pause(); // nowhere to write yet: back off rather than spin
                continue;
            }
            String endpoint = to.get(Math.floorMod(target, to.size()));
            String key = prefix + thread + "-" + n;
            String value = "v" + n + "@" + endpoint;
            inFlight.incrementAndGet();
            try {
                EtcdStubs.kv(endpoint).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                        .setValue(ByteString.copyFromUtf8(value)).build());
                acked.put(key, value);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                target++;
                Waits.pause(); // a member that just died refuses at once: do not hammer it
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    /** @return how many puts were acknowledged so far */
    public int ackedCount() {
        return acked.size();
    }

    /** @return how many puts are sent and not yet answered */
    public int inFlight() {
        return inFlight.get();
    }

    /** @return how many puts failed (refused, timed out, connection lost) */
    public long failures() {
        return failures.get();
    }

    /** Polls until at least {@code n} puts were acknowledged; returns the milliseconds it took. */
    public long awaitAcked(int n, long millis) {
        return Waits.until(n + " acknowledged puts (have " + acked.size() + ")", millis, () -> acked.size() >= n);
    }

    /** Polls until the writers stopped on their own (the limit reached). */
    public void awaitDone(long millis) {
        Waits.until("the writers reach " + limit + " acknowledged puts (have " + acked.size() + ")", millis,
                () -> threads.stream().noneMatch(Thread::isAlive));
    }

    /**
     * Stops the writers and waits for them (a put in flight ends within its two-second deadline).
     *
     * @return every acknowledged put, key to value
     */
    public Map<String, String> stop() {
        stopping.set(true);
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted stopping the writers", e);
            }
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " did not stop");
            }
        }
        return new HashMap<>(acked);
    }

    @Override
    public void close() {
        stop();
    }
}
