package dev.keel.harness.workload.watch;

import dev.keel.harness.client.EtcdClients;
import dev.keel.harness.client.Failures;
import dev.keel.harness.run.RunClock;
import dev.keel.harness.workload.support.Revisions;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchProgressRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A watcher of every key under a prefix that survives its member: on an error, the end of its stream, or
 * silence (no response for {@link #SILENCE_MILLIS} although it asks for progress every
 * {@link #PROGRESS_EVERY_MILLIS}), it watches again on a member picked afresh, from the revision after the last
 * one it knows it has seen everything up to. It keeps every event it received, duplicates and all, for the checker.
 * Only one thread runs it at a time.
 */
public final class PrefixWatcher {
    /** A healthy stream answers a progress request at once; this much silence means it is cut off. */
    static final long SILENCE_MILLIS = 3_000;
    static final long PROGRESS_EVERY_MILLIS = 1_000;
    /** Pause before watching again after a stream failed, so a failing member sees no storm of streams. */
    static final long RETRY_PAUSE_MILLIS = 100;
    private static final Object END = new Object();

    private final String name;
    private final String prefix;
    private final EtcdClients clients;
    private final RunClock clock;
    private final Consumer<String> log;
    private final List<WatchEvent> events = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private volatile long seenUpTo;
    private int streams;

    /**
     * @param name          the watcher's name in the events it records
     * @param startRevision the first revision it watches from
     */
    public PrefixWatcher(String name, String prefix, long startRevision, EtcdClients clients, RunClock clock,
                         Consumer<String> log) {
        this.name = name;
        this.prefix = prefix;
        this.clients = clients;
        this.clock = clock;
        this.log = log;
        this.seenUpTo = startRevision - 1;
    }

    /**
     * Watches, stream after stream, until {@code stop} says so, the watcher knows every change up to {@code goal},
     * {@code deadlineNanos} (on {@link System#nanoTime()}) passes, or its thread is interrupted.
     *
     * @param endpoint picks the member of each new stream
     * @return whether it reached {@code goal}
     */
    public boolean run(Supplier<String> endpoint, BooleanSupplier stop, long goal, long deadlineNanos) {
        while (seenUpTo < goal && !stop.getAsBoolean() && System.nanoTime() < deadlineNanos
                && !Thread.currentThread().isInterrupted()) { // an interrupted wait would spin through streams
            String member;
            try {
                member = endpoint.get();
            } catch (RuntimeException e) {
                Revisions.sleepQuietly(200);
                continue;
            }
            stream(member, stop, goal, deadlineNanos);
        }
        return seenUpTo >= goal;
    }

    /** One stream on one member, until it fails, falls silent, or the run ends. */
    private void stream(String member, BooleanSupplier stop, long goal, long deadlineNanos) {
        BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        StreamObserver<WatchRequest> requests;
        try {
            requests = clients.watch(member).watch(new Inbox(inbox));
            streams++;
            requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(com.google.protobuf.ByteString.copyFromUtf8(prefix))
                    .setRangeEnd(Revisions.prefixEnd(prefix)).setStartRevision(seenUpTo + 1)
                    .setProgressNotify(true)).build());
        } catch (RuntimeException e) {
            Revisions.sleepQuietly(200);
            return;
        }
        long heardAt = System.nanoTime();
        long askedAt = heardAt;
        try {
            while (seenUpTo < goal && !stop.getAsBoolean() && System.nanoTime() < deadlineNanos) {
                Object next = inbox.poll(200, TimeUnit.MILLISECONDS);
                long now = System.nanoTime();
                if (next == null) {
                    if (now - heardAt > SILENCE_MILLIS * 1_000_000) {
                        log.accept("watcher " + name + ": no answer from " + member + " for " + SILENCE_MILLIS
                                + " ms; watching again from " + (seenUpTo + 1));
                        return;
                    }
                    if (now - askedAt > PROGRESS_EVERY_MILLIS * 1_000_000) {
                        requests.onNext(WatchRequest.newBuilder()
                                .setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
                        askedAt = now;
                    }
                    continue;
                }
                heardAt = now;
                if (next == END || next instanceof Throwable) {
                    log.accept("watcher " + name + ": stream on " + member + " ended"
                            + (next == END ? "" : ": " + Failures.describe((Throwable) next))
                            + "; watching again from " + (seenUpTo + 1));
                    Revisions.sleepQuietly(RETRY_PAUSE_MILLIS); // no reconnect storm against a failing member
                    return;
                }
                if (!take((WatchResponse) next, member)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.accept("watcher " + name + ": stream on " + member + " failed: " + Failures.describe(e));
        } finally {
            close(requests);
        }
    }

    /** @return false if the stream is over (etcd canceled the watch) */
    private boolean take(WatchResponse response, String member) {
        if (response.getCanceled()) {
            log.accept("watcher " + name + ": " + member + " canceled the watch: " + response.getCancelReason());
            if (response.getCompactRevision() > 0) {
                // No compaction runs in the harness: a compacted answer is itself a failure.
                synchronized (this) {
                    problems.add("watcher " + name + " was told revision " + (seenUpTo + 1) + " is compacted (to "
                            + response.getCompactRevision() + ") by " + member);
                }
                seenUpTo = Math.max(seenUpTo, response.getCompactRevision() - 1);
            }
            return false;
        }
        if (response.getEventsCount() == 0) {
            if (!response.getCreated()) {
                // A progress notification: every change up to the header's revision has been sent.
                seenUpTo = Math.max(seenUpTo, response.getHeader().getRevision());
            }
            return true;
        }
        long now = clock.nanos();
        synchronized (this) {
            for (Event e : response.getEventsList()) {
                boolean put = e.getType() == Event.EventType.PUT;
                events.add(new WatchEvent(name, response.getHeader().getRevision(), e.getKv().getKey().toStringUtf8(),
                        put ? "PUT" : "DELETE", put ? e.getKv().getValue().toStringUtf8() : null,
                        e.getKv().getModRevision(), now));
                seenUpTo = Math.max(seenUpTo, e.getKv().getModRevision());
            }
        }
        return true;
    }

    private static void close(StreamObserver<WatchRequest> requests) {
        try {
            if (requests instanceof ClientCallStreamObserver<WatchRequest> call) {
                call.cancel("watcher moves on", null);
            } else {
                requests.onCompleted();
            }
        } catch (RuntimeException ignored) {
            // the stream is already gone
        }
    }

    /** @return a copy of the events received so far, in arrival order */
    public synchronized List<WatchEvent> events() {
        return List.copyOf(events);
    }

    /** @return what went wrong that the checker must report (compacted answers) */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** @return the revision up to which this watcher knows it has every change */
    public long seenUpTo() {
        return seenUpTo;
    }

    /** @return how many streams it opened */
    public int streams() {
        return streams;
    }

    /** @return its name */
    public String name() {
        return name;
    }

    private record Inbox(BlockingQueue<Object> queue) implements StreamObserver<WatchResponse> {
        @Override
        public void onNext(WatchResponse value) {
            queue.add(value);
        }

        @Override
        public void onError(Throwable t) {
            queue.add(t);
        }

        @Override
        public void onCompleted() {
            queue.add(END);
        }
    }
}
