package dev.keel.node.metrics;

/**
 * One member's metrics: what the kernel thread publishes, the disk's timings, the gRPC counters and the watch
 * and lease statistics the services supply. {@link #render()} writes them with etcd 3.4's names, types and help
 * texts. One instance per member, never static: several members run in one JVM in tests.
 */
public final class NodeMetrics implements DiskTimings {
    private final KernelGauges kernel = new KernelGauges();
    private final GrpcMetrics grpc = new GrpcMetrics();
    // etcd's buckets: wal fsync ExponentialBuckets(0.001, 2, 14); snap save ExponentialBuckets(0.001, 2, 14).
    private final Histogram walFsync = new Histogram(Histogram.exponential(0.001, 2, 14));
    private final Histogram snapshotSave = new Histogram(Histogram.exponential(0.001, 2, 14));
    private volatile WatchGauges watches = new WatchGauges() {
        @Override
        public long watchers() {
            return kernel.watchers();
        }

        @Override
        public long streams() {
            return 0;
        }

        @Override
        public long slowWatchers() {
            return 0;
        }
    };
    private volatile LeaseGauges leases = LeaseGauges.NONE;
    private final java.util.concurrent.atomic.LongAdder healthy = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder unhealthy = new java.util.concurrent.atomic.LongAdder();

    /** @return the numbers the kernel thread publishes */
    public KernelGauges kernel() {
        return kernel;
    }

    /** @return the interceptor that counts gRPC calls; put it on every service */
    public GrpcMetrics grpc() {
        return grpc;
    }

    /** Plugs in the watch service's statistics. */
    public void watchGauges(WatchGauges source) {
        this.watches = source;
    }

    /** Plugs in the lease service's statistics. */
    public void leaseGauges(LeaseGauges source) {
        this.leases = source;
    }

    /** Counts one {@code /health} check. */
    public void healthChecked(boolean passed) {
        (passed ? healthy : unhealthy).increment();
    }

    @Override
    public void walFsync(long nanos) {
        walFsync.recordNanos(nanos);
    }

    @Override
    public void snapshotSave(long nanos) {
        snapshotSave.recordNanos(nanos);
    }

    /** @return every metric in Prometheus' text format */
    public String render() {
        MetricsText out = new MetricsText();
        server(out);
        mvcc(out);
        WatchGauges w = watches;
        gauge(out, "etcd_debugging_mvcc_watcher_total", "Total number of watchers.", w.watchers());
        gauge(out, "etcd_debugging_mvcc_watch_stream_total", "Total number of watch streams.", w.streams());
        gauge(out, "etcd_debugging_mvcc_slow_watcher_total", "Total number of unsynced slow watchers.",
                w.slowWatchers());
        LeaseGauges l = leases;
        counter(out, "etcd_debugging_lease_granted_total", "The total number of granted leases.", l.granted());
        counter(out, "etcd_debugging_lease_revoked_total", "The total number of revoked leases.", l.revoked());
        counter(out, "etcd_debugging_lease_renewed_total", "The number of renewed leases seen by the leader.",
                l.renewed());
        out.histogram("etcd_disk_wal_fsync_duration_seconds", "The latency distributions of fsync called by WAL.",
                walFsync);
        out.histogram("etcd_debugging_snap_save_total_duration_seconds", "The total latency distributions of save "
                + "called by snapshot.", snapshotSave);
        grpc.writeTo(out);
        return out.toString();
    }

    private void server(MetricsText out) {
        KernelGauges k = kernel;
        gauge(out, "etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not.",
                k.leader() != 0 ? 1 : 0);
        gauge(out, "etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise.",
                k.isLeader() ? 1 : 0);
        gauge(out, "etcd_server_is_learner", "Whether or not this member is a learner. 1 if is, 0 otherwise.",
                k.isLearner() ? 1 : 0);
        counter(out, "etcd_server_leader_changes_seen_total", "The number of leader changes seen.",
                k.leaderChanges());
        gauge(out, "etcd_server_proposals_committed_total", "The total number of consensus proposals committed.",
                k.committedIndex());
        gauge(out, "etcd_server_proposals_applied_total", "The total number of consensus proposals applied.",
                k.appliedIndex());
        gauge(out, "etcd_server_proposals_pending", "The current number of pending proposals to commit.",
                k.pending());
        counter(out, "etcd_server_proposals_failed_total", "The total number of failed proposals seen.",
                k.proposalsFailed());
        counter(out, "etcd_server_health_success", "The total number of successful health checks", healthy.sum());
        counter(out, "etcd_server_health_failures", "The total number of failed health checks", unhealthy.sum());
    }

    private void mvcc(MetricsText out) {
        KernelGauges k = kernel;
        gauge(out, "etcd_mvcc_db_total_size_in_bytes",
                "Total size of the underlying database physically allocated in bytes.", k.dbBytes());
        gauge(out, "etcd_mvcc_db_total_size_in_use_in_bytes",
                "Total size of the underlying database logically in use in bytes.", k.dbBytes());
        gauge(out, "etcd_debugging_mvcc_db_total_size_in_bytes",
                "Total size of the underlying database physically allocated in bytes.", k.dbBytes());
        gauge(out, "etcd_debugging_mvcc_keys_total", "Total number of keys.", k.keys());
        gauge(out, "etcd_debugging_mvcc_current_revision", "The current revision of store.", k.revision());
        gauge(out, "etcd_debugging_mvcc_compact_revision", "The revision of the last compaction in store.",
                k.compactRevision());
    }

    private static void gauge(MetricsText out, String name, String help, double value) {
        out.family(name, "gauge", help).sample(name, value);
    }

    private static void counter(MetricsText out, String name, String help, double value) {
        out.family(name, "counter", help).sample(name, value);
    }
}
