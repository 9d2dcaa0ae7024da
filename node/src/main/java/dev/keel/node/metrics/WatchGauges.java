package dev.keel.node.metrics;

/**
 * Where the watch gauges come from. The node plugs in its watch service's statistics here
 * ({@link NodeMetrics#watchGauges(WatchGauges)}); until one is plugged in, the kernel's watcher count is used
 * and there are no streams.
 */
public interface WatchGauges {
    /** @return watchers registered (etcd_debugging_mvcc_watcher_total) */
    long watchers();

    /** @return open watch streams (etcd_debugging_mvcc_watch_stream_total) */
    long streams();

    /** @return watchers behind the store's revision (etcd_debugging_mvcc_slow_watcher_total) */
    long slowWatchers();
}
