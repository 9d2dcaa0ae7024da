package dev.keel.node.api;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.keel.node.KernelContext;
import dev.keel.node.RequestGate;
import dev.keel.node.WatchSettings;
import dev.keel.node.WatchStats;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * etcd's {@code Watch} service: one {@link WatchStream} per call, each with many watches. Besides the streams it
 * owns one timer thread that asks the kernel for progress notifications every
 * {@link WatchSettings#progressNotifyMillis()} (etcd's progress_notify) and refreshes {@link WatchStats}'
 * watcher counts once a second. Close it to stop the timer.
 */
public final class WatchService extends WatchGrpc.WatchImplBase implements AutoCloseable {
    private final RequestGate gate;
    private final WatchSettings settings;
    private final int maxRequestBytes;
    private final WatchStats stats;
    private final ScheduledExecutorService timer;
    private final java.util.Set<WatchStream> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param maxRequestBytes responses of watches that asked for fragments are split to stay under it, as etcd
     *                        splits them (etcd: {@code --max-request-bytes} + 512 KiB)
     */
    public WatchService(RequestGate gate, WatchSettings settings, int maxRequestBytes, WatchStats stats,
                        String memberName) {
        this.gate = gate;
        this.settings = settings;
        this.maxRequestBytes = maxRequestBytes;
        this.stats = stats;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keel-watch-timer-" + memberName);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> gate.run(k -> k.replica().mvcc().progressNotify()),
                settings.progressNotifyMillis(), settings.progressNotifyMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(() -> gate.run(k -> counts(k, stats)), 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
        ServiceRequestContext ctx = ServiceRequestContext.current();
        WatchStream[] self = new WatchStream[1];
        self[0] = new WatchStream(responses, gate, ctx.eventLoop(), settings.bufferBytes(), maxRequestBytes, stats,
                () -> open.remove(self[0]));
        open.add(self[0]);
        return self[0];
    }

    /** Kernel thread: copies the kernel's watcher counts into {@code stats}. */
    static void counts(KernelContext k, WatchStats stats) {
        stats.watchersNow(k.replica().mvcc().watcherCount(), k.replica().mvcc().unsyncedWatcherCount());
    }

    /** Stops the timer and ends every open stream UNAVAILABLE (waiting up to a second for them to be sent). */
    @Override
    public void close() {
        timer.shutdownNow();
        java.util.List<WatchStream> streams = java.util.List.copyOf(open);
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(streams.size());
        streams.forEach(s -> s.shutdown(ended::countDown));
        try {
            ended.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
