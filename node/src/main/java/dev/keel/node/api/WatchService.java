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
 * {@link WatchSettings#progressNotifyMillis()} (etcd's progress_notify), refreshes {@link WatchStats}' watcher
 * counts once a second and, as etcd, ends streams that require a leader when the member has had none for three
 * seconds. Close it to stop the timer.
 */
public final class WatchService extends WatchGrpc.WatchImplBase implements AutoCloseable {
    private final RequestGate gate;
    private final WatchSettings settings;
    private final int maxRequestBytes;
    private final WatchStats stats;
    private final ScheduledExecutorService timer;
    private final java.util.Set<WatchStream> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Set when the member stops: streams opened from then on end at once. */
    private volatile boolean closed;
    /** etcd's maxNoLeaderCnt. */
    private static final int NO_LEADER_CHECKS = 3;
    /** Kernel thread only. */
    private int checksWithoutLeader;

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
        timer.scheduleAtFixedRate(() -> gate.run(k -> {
            counts(k, stats);
            watchLeader(k.replica().leaderId());
        }), 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
        ServiceRequestContext ctx = ServiceRequestContext.current();
        WatchStream[] self = new WatchStream[1];
        boolean requireLeader = "true".equals(ctx.request().headers().get("hasleader"));
        self[0] = new WatchStream(responses, gate, ctx.eventLoop(), settings.bufferBytes(), maxRequestBytes, stats,
                requireLeader, () -> {
                    if (self[0] != null) { // null only when the stream failed inside its constructor
                        open.remove(self[0]);
                    }
                });
        open.add(self[0]);
        if (closed) {
            // Opened while the member stops (its port is still draining): end it as close() ended the others, or
            // it would wait for a kernel thread that no longer runs and its client would never move on.
            self[0].shutdown(() -> { });
        }
        return self[0];
    }

    /**
     * Kernel thread, once a second: etcd's leader monitor. After three checks in a row without a leader, the
     * streams that require one end "etcdserver: no leader" (etcd checks every election timeout, 1 s by default,
     * and also counts to three), so their clients move to a member that has a leader.
     */
    private void watchLeader(long leader) {
        checksWithoutLeader = leader == 0 ? checksWithoutLeader + 1 : 0;
        if (checksWithoutLeader >= NO_LEADER_CHECKS) {
            checksWithoutLeader = 0;
            for (WatchStream s : open) {
                if (s.requiresLeader()) {
                    s.noLeader();
                }
            }
        }
    }

    /** Kernel thread: copies the kernel's watcher counts into {@code stats}. */
    static void counts(KernelContext k, WatchStats stats) {
        stats.watchersNow(k.replica().mvcc().watcherCount(), k.replica().mvcc().unsyncedWatcherCount());
    }

    /** Stops the timer and ends every open stream UNAVAILABLE (waiting up to a second for them to be sent). */
    @Override
    public void close() {
        closed = true;
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
