package dev.keel.node;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The member's watch figures, for metrics: every getter is thread-safe and cheap. The watch service updates
 * them (stream and buffer figures at once, watcher figures each time a watch task runs on the kernel thread
 * and at least once a second), so a reader sees values at most about a second old.
 */
public final class WatchStats implements dev.keel.node.metrics.WatchGauges {
    private final AtomicLong streams = new AtomicLong();
    private final AtomicLong watchers = new AtomicLong();
    private final AtomicLong slowWatchers = new AtomicLong();
    private final AtomicLong bufferedBytes = new AtomicLong();

    /** @return open Watch streams (gRPC calls) */
    @Override
    public long streams() {
        return streams.get();
    }

    /** @return watchers registered on this member, over all streams */
    @Override
    public long watchers() {
        return watchers.get();
    }

    /** @return watchers catching up from history (etcd's "unsynced"; slow consumers among them) */
    @Override
    public long slowWatchers() {
        return slowWatchers.get();
    }

    /** @return bytes held in the streams' buffers, waiting for their clients */
    public long bufferedBytes() {
        return bufferedBytes.get();
    }

    /** A stream opened (+1) or closed (-1). */
    public void streamsChanged(int delta) {
        streams.addAndGet(delta);
    }

    /** The kernel's current watcher counts (read on the kernel thread). */
    public void watchersNow(long all, long unsynced) {
        watchers.set(all);
        slowWatchers.set(unsynced);
    }

    /** Bytes entered (+) or left (-) a stream buffer. */
    public void bufferedChanged(long delta) {
        bufferedBytes.addAndGet(delta);
    }
}
