package dev.keel.node.api;

import dev.keel.node.KernelContext;
import dev.keel.node.KernelTask;
import dev.keel.node.RequestGate;
import dev.keel.node.WatchStats;
import dev.keel.replica.Replica;
import dev.keel.replica.ReplicaError;
import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code Watch} call: many watches, each with the stream's own watch ID, as etcd keeps them per stream.
 * Requests and all of the stream's state live on the call's event loop; the kernel thread only runs this
 * stream's tasks (create, cancel, progress, close) and offers responses to its {@link StreamBuffer}. The event
 * loop drains the buffer into gRPC only while the call is ready (HTTP/2 flow control lets it send), so a client
 * that stops reading makes the buffer fill and refuse, never grow; when the buffer empties after refusing, a
 * kernel task lets the refused watchers catch up at once from history.
 */
final class WatchStream implements StreamObserver<WatchRequest> {
    /** History entries visited per catch-up kick (the replica's own per-batch budget). */
    private static final int SYNC_BUDGET = 1000;
    /** How soon an unanswerable progress request (watchers still catching up) or a refused task is tried again. */
    private static final long PROGRESS_RETRY_MILLIS = 50;

    /** One watch of this stream; {@code kernelId} is touched on the kernel thread only. */
    static final class Watch {
        final long id;
        final boolean fragment;
        long kernelId = -1;
        /** Event loop: events were sent since the last periodic progress notification. */
        boolean eventsSinceProgress;

        Watch(long id, boolean fragment) {
            this.id = id;
            this.fragment = fragment;
        }
    }

    private final ServerCallStreamObserver<WatchResponse> out;
    private final RequestGate gate;
    private final ScheduledExecutorService eventLoop;
    private final int maxRequestBytes;
    private final WatchStats stats;
    private final StreamBuffer buffer;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Event loop only. */
    private final Map<Long, Watch> watches = new HashMap<>();
    private long nextId;
    private boolean closed;
    private final Runnable onClose;
    private final boolean requireLeader;
    /** The stream's caller, read on the gRPC call's thread; every create is checked for it on the kernel thread. */
    private final String user = dev.keel.node.auth.CallerIdentity.user();

    /**
     * @param requireLeader the client asked for etcd's "require leader" (gRPC metadata {@code hasleader: true}):
     *                      the stream ends "etcdserver: no leader" when this member has none
     */
    WatchStream(StreamObserver<WatchResponse> responses, RequestGate gate, ScheduledExecutorService eventLoop,
                int bufferBytes, int maxRequestBytes, WatchStats stats, boolean requireLeader, Runnable onClose) {
        this.onClose = onClose;
        this.requireLeader = requireLeader;
        this.out = (ServerCallStreamObserver<WatchResponse>) responses;
        this.gate = gate;
        this.eventLoop = eventLoop;
        this.maxRequestBytes = maxRequestBytes;
        this.stats = stats;
        this.buffer = new StreamBuffer(bufferBytes, stats, this::wake);
        stats.streamsChanged(1);
        out.setOnReadyHandler(this::drain);
        out.setOnCancelHandler(() -> onLoop(this::close));
        if (requireLeader) {
            // etcd refuses such a stream at once on a member without a leader; queued before any create
            task(k -> {
                if (k.replica().leaderId() == 0) {
                    noLeader();
                }
            });
        }
    }

    /** @return whether the client asked for etcd's "require leader" */
    boolean requiresLeader() {
        return requireLeader;
    }

    /** Ends the stream as etcd ends a "require leader" stream on a member without a leader (any thread). */
    void noLeader() {
        end(Status.UNAVAILABLE.withDescription("etcdserver: no leader"), () -> { });
    }

    @Override
    public void onNext(WatchRequest request) {
        onLoop(() -> handle(request));
    }

    @Override
    public void onError(Throwable t) {
        onLoop(this::close);
    }

    @Override
    public void onCompleted() {
        // As etcd: a client that closes its sending side keeps its watches; the call ends when it cancels.
    }

    /**
     * The member is stopping: ends the call UNAVAILABLE (what etcd's clients see from a stopping member, and
     * retry on another), on the event loop; {@code done} runs after.
     */
    void shutdown(Runnable done) {
        end(Status.UNAVAILABLE.withDescription(ReplicaError.STOPPED.message()), done);
    }

    private void end(Status status, Runnable done) {
        onLoop(() -> {
            try {
                if (!closed) {
                    close();
                    out.onError(status.asRuntimeException());
                }
            } finally {
                done.run();
            }
        });
    }

    private void onLoop(Runnable r) {
        eventLoop.execute(r);
    }

    private void handle(WatchRequest request) {
        if (closed) {
            return;
        }
        switch (request.getRequestUnionCase()) {
            case CREATE_REQUEST -> create(WatchCreate.of(request.getCreateRequest()));
            case CANCEL_REQUEST -> cancel(request.getCancelRequest());
            case PROGRESS_REQUEST -> progress();
            default -> {
                // etcd ignores a request it does not know rather than ending the stream
            }
        }
    }

    private void create(WatchCreate c) {
        String refusal = null;
        Watch watch = null;
        if (c.emptyRange()) {
            refusal = WatchResponses.EMPTY_RANGE;
        } else if (c.watchId() != 0 && watches.containsKey(c.watchId())) {
            refusal = WatchResponses.DUPLICATE_ID;
        } else {
            long id = c.watchId();
            if (id == 0) {
                while (watches.containsKey(nextId)) {
                    nextId++;
                }
                id = nextId++;
            }
            watch = new Watch(id, c.fragment());
            watches.put(id, watch);
        }
        Watch created = watch;
        String refused = refusal;
        task(k -> {
            Replica replica = k.replica();
            buffer.kernel(k);
            long revision = replica.mvcc().revision();
            String deniedBy = refused;
            if (created != null && replica.mvcc().checkRead(user, c.key(), c.rangeEnd())
                    != dev.keel.kernel.auth.AuthError.OK) {
                // etcd's isWatchPermitted: answered created-and-canceled, the stream stays open.
                deniedBy = WatchResponses.PERMISSION_DENIED;
                onLoop(() -> watches.remove(created.id, created));
            } else if (created != null) {
                UnsafeBuffer keys = new UnsafeBuffer(concat(c.key(), c.rangeEnd()));
                created.kernelId = replica.mvcc().watch(-1, keys, 0, c.key().length, c.key().length, c.rangeEnd().length,
                        c.startRevision(), c.options(), buffer);
                buffer.attach(created.kernelId, created);
            }
            // Queued before the kernel can offer this watcher anything: events only come after "created".
            buffer.control(WatchResponses.created(k.facts(), revision, created == null ? -1 : created.id, deniedBy));
            if (created != null && deniedBy == null && c.startRevision() > 0 && c.startRevision() <= revision) {
                // Replay its history now, right behind "created", not at the next tick: jetcd takes the created
                // header's revision (the current one, as etcd sends) as its resume point, so a stream that
                // breaks between the two would make it skip that history.
                replica.mvcc().syncWatchers(SYNC_BUDGET);
            }
            counts(k);
        });
    }

    private void cancel(WatchCancelRequest request) {
        Watch watch = watches.remove(request.getWatchId());
        if (watch == null) {
            return; // etcd answers nothing for a watch the stream does not have
        }
        task(k -> {
            k.replica().mvcc().cancelWatch(watch.kernelId);
            buffer.detach(watch.kernelId);
            buffer.kernel(k);
            buffer.control(WatchResponses.canceled(k.facts(), k.replica().mvcc().revision(), watch.id));
            counts(k);
        });
    }

    /** etcd's RequestProgress: answered once every watcher of the stream is caught up; tried until then. */
    private void progress() {
        task(k -> {
            buffer.kernel(k);
            if (!k.replica().mvcc().requestProgress(buffer)) {
                eventLoop.schedule(() -> {
                    if (!closed) {
                        progress();
                    }
                }, PROGRESS_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Kernel thread, after an entry was queued. */
    private void wake() {
        if (drainScheduled.compareAndSet(false, true)) {
            eventLoop.execute(this::drain);
        }
    }

    /** Event loop: sends what the buffer holds while gRPC can take it. */
    private void drain() {
        drainScheduled.set(false);
        while (!closed && out.isReady()) {
            StreamBuffer.Entry e = buffer.poll();
            if (e == null) {
                break;
            }
            send(e);
        }
        if (!closed && buffer.drainedAfterRefusal()) {
            // Refused watchers are out of sync; let them catch up now rather than on the next tick.
            task(k -> {
                buffer.kernel(k);
                k.replica().mvcc().syncWatchers(SYNC_BUDGET);
                counts(k);
            });
        }
    }

    private void send(StreamBuffer.Entry e) {
        if (e.control() != null) {
            out.onNext(e.control());
            return;
        }
        long id = -1;
        boolean fragment = false;
        if (e.watch() != null) {
            if (watches.get(e.watch().id) != e.watch()) {
                return; // canceled by the client meanwhile: etcd sends nothing after the cancel
            }
            id = e.watch().id;
            fragment = e.watch().fragment;
        }
        WatchResponse response = WatchResponses.fromKernel(e.kernelResponse(), id, e.facts());
        if (e.watch() != null && !progressDue(e.watch(), response)) {
            return;
        }
        if (!fragment) {
            out.onNext(response);
            return;
        }
        for (WatchResponse part : WatchResponses.fragments(response, maxRequestBytes)) {
            out.onNext(part);
        }
    }

    /**
     * etcd sends a watch's periodic progress notification only if it sent the watch no events since the previous
     * one; the kernel notifies every synced watch that asked, so the stream skips the others here.
     *
     * @return whether {@code response} is to be sent
     */
    static boolean progressDue(Watch watch, WatchResponse response) {
        if (response.getEventsCount() > 0 || response.getCanceled()) {
            watch.eventsSinceProgress = true;
            return true;
        }
        boolean due = !watch.eventsSinceProgress; // an empty response to one watch is a progress notification
        watch.eventsSinceProgress = false;
        return due;
    }

    /** Event loop: the stream ended (client, error, member stopping); its watchers leave the kernel. */
    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffer.close();
        stats.streamsChanged(-1);
        onClose.run();
        Watch[] all = watches.values().toArray(new Watch[0]);
        watches.clear();
        release(all);
    }

    /** Takes the stream's watchers out of the kernel; tried again shortly if the task queue is full. */
    private void release(Watch[] all) {
        boolean queued = gate.run(k -> {
            for (Watch w : all) {
                k.replica().mvcc().cancelWatch(w.kernelId);
                buffer.detach(w.kernelId);
            }
            counts(k);
        });
        if (!queued) {
            eventLoop.schedule(() -> release(all), PROGRESS_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void task(KernelTask t) {
        if (!gate.run(t)) {
            close();
            out.onError(RequestGate.TOO_MANY_REQUESTS.asRuntimeException());
        }
    }

    /** Kernel thread: the member's watcher counts for {@link WatchStats}. */
    private void counts(KernelContext k) {
        WatchService.counts(k, stats);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
