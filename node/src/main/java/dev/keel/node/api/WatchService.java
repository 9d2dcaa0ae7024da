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

    /**
     * @param maxRequestBytes {@code --max-request-bytes}: responses of watches that asked for fragments are
     *                        split to stay under it, as etcd splits them
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
        return new WatchStream(responses, gate, ctx.eventLoop(), settings.bufferBytes(), maxRequestBytes, stats);
    }

    /** Kernel thread: copies the kernel's watcher counts into {@code stats}. */
    static void counts(KernelContext k, WatchStats stats) {
        stats.watchersNow(k.replica().mvcc().watcherCount(), k.replica().mvcc().unsyncedWatcherCount());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
