package dev.keel.node.config;

import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.raft.ConfState;
import dev.keel.kernel.raft.RaftConfig;
import dev.keel.replica.AutoCompaction;
import dev.keel.replica.ReplicaConfig;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's settings, named and defaulted as etcd 3.4's server flags. Built by the command line
 * ({@code bin/keel}) or by the embedded API; {@link #validate()} refuses what etcd refuses, with one clear line.
 *
 * @param name                     {@code --name} (default {@code default})
 * @param dataDir                  {@code --data-dir} (default {@code <name>.keel})
 * @param listenClientUrls         {@code --listen-client-urls} (gRPC and, later, the JSON gateway)
 * @param advertiseClientUrls      {@code --advertise-client-urls}, what peers and {@code member list} show
 * @param listenPeerUrls           {@code --listen-peer-urls}
 * @param initialAdvertisePeerUrls {@code --initial-advertise-peer-urls}
 * @param initialCluster           {@code --initial-cluster}
 * @param newCluster               {@code --initial-cluster-state new} (true) or {@code existing}
 * @param clusterToken             {@code --initial-cluster-token}
 * @param heartbeatMillis          {@code --heartbeat-interval}, one tick
 * @param electionMillis           {@code --election-timeout}
 * @param snapshotCount            {@code --snapshot-count}
 * @param autoCompactionMode       {@code --auto-compaction-mode} (periodic or revision)
 * @param autoCompactionRetention  {@code --auto-compaction-retention} ("0" = off)
 * @param quotaBackendBytes        {@code --quota-backend-bytes} (0 = etcd's default, 2 GiB)
 * @param maxRequestBytes          {@code --max-request-bytes}
 * @param maxTxnOps                {@code --max-txn-ops}
 * @param joined                   this member's identity as the cluster gave it when it joined (null: computed
 *                                 from the flags, as for a founder)
 * @param tls                      the TLS flags of both ports ({@link TlsConfig#NONE}: plain http)
 * @param maxConcurrentStreams     {@code --max-concurrent-streams}: HTTP/2 streams one client connection may have
 *                                 open at once ({@link #DEFAULT_MAX_CONCURRENT_STREAMS} unless given)
 */
public record NodeConfig(String name, Path dataDir, List<String> listenClientUrls, List<String> advertiseClientUrls,
                         List<String> listenPeerUrls, List<String> initialAdvertisePeerUrls,
                         InitialCluster initialCluster, boolean newCluster, String clusterToken,
                         long heartbeatMillis, long electionMillis, long snapshotCount, String autoCompactionMode,
                         String autoCompactionRetention, long quotaBackendBytes, int maxRequestBytes,
                         int maxTxnOps, JoinedIdentity joined, TlsConfig tls, long maxConcurrentStreams) {

    /**
     * Keel's default for {@code --max-concurrent-streams}. etcd 3.4 defaults to math.MaxUint32 (no limit); Keel
     * bounds what one connection can hold open by default, far above what a client multiplexes (clients queue
     * further calls themselves when the server's limit is reached). Give the flag to set etcd's value.
     */
    public static final long DEFAULT_MAX_CONCURRENT_STREAMS = 1_000;
    /** The largest {@code --max-concurrent-streams}, etcd's math.MaxUint32 (HTTP/2 carries it in 32 bits). */
    public static final long MAX_CONCURRENT_STREAMS_LIMIT = 0xFFFF_FFFFL;

    /** A configuration with the default stream limit. */
    public NodeConfig(String name, Path dataDir, List<String> listenClientUrls, List<String> advertiseClientUrls,
                      List<String> listenPeerUrls, List<String> initialAdvertisePeerUrls,
                      InitialCluster initialCluster, boolean newCluster, String clusterToken,
                      long heartbeatMillis, long electionMillis, long snapshotCount, String autoCompactionMode,
                      String autoCompactionRetention, long quotaBackendBytes, int maxRequestBytes, int maxTxnOps,
                      JoinedIdentity joined, TlsConfig tls) {
        this(name, dataDir, listenClientUrls, advertiseClientUrls, listenPeerUrls, initialAdvertisePeerUrls,
                initialCluster, newCluster, clusterToken, heartbeatMillis, electionMillis, snapshotCount,
                autoCompactionMode, autoCompactionRetention, quotaBackendBytes, maxRequestBytes, maxTxnOps, joined,
                tls, DEFAULT_MAX_CONCURRENT_STREAMS);
    }

    /** A configuration without TLS. */
    public NodeConfig(String name, Path dataDir, List<String> listenClientUrls, List<String> advertiseClientUrls,
                      List<String> listenPeerUrls, List<String> initialAdvertisePeerUrls,
                      InitialCluster initialCluster, boolean newCluster, String clusterToken,
                      long heartbeatMillis, long electionMillis, long snapshotCount, String autoCompactionMode,
                      String autoCompactionRetention, long quotaBackendBytes, int maxRequestBytes, int maxTxnOps,
                      JoinedIdentity joined) {
        this(name, dataDir, listenClientUrls, advertiseClientUrls, listenPeerUrls, initialAdvertisePeerUrls,
                initialCluster, newCluster, clusterToken, heartbeatMillis, electionMillis, snapshotCount,
                autoCompactionMode, autoCompactionRetention, quotaBackendBytes, maxRequestBytes, maxTxnOps, joined,
                TlsConfig.NONE);
    }

    /** A null {@code tls} means no TLS, so configurations built before TLS existed keep working. */
    public NodeConfig {
        if (tls == null) {
            tls = TlsConfig.NONE;
        }
    }

    /** A configuration whose identity is computed from the flags. */
    public NodeConfig(String name, Path dataDir, List<String> listenClientUrls, List<String> advertiseClientUrls,
                      List<String> listenPeerUrls, List<String> initialAdvertisePeerUrls,
                      InitialCluster initialCluster, boolean newCluster, String clusterToken,
                      long heartbeatMillis, long electionMillis, long snapshotCount, String autoCompactionMode,
                      String autoCompactionRetention, long quotaBackendBytes, int maxRequestBytes, int maxTxnOps) {
        this(name, dataDir, listenClientUrls, advertiseClientUrls, listenPeerUrls, initialAdvertisePeerUrls,
                initialCluster, newCluster, clusterToken, heartbeatMillis, electionMillis, snapshotCount,
                autoCompactionMode, autoCompactionRetention, quotaBackendBytes, maxRequestBytes, maxTxnOps, null);
    }

    /** @return this configuration with the identity the cluster gave this member */
    public NodeConfig withIdentity(JoinedIdentity identity) {
        return new NodeConfig(name, dataDir, listenClientUrls, advertiseClientUrls, listenPeerUrls,
                initialAdvertisePeerUrls, initialCluster, newCluster, clusterToken, heartbeatMillis, electionMillis,
                snapshotCount, autoCompactionMode, autoCompactionRetention, quotaBackendBytes, maxRequestBytes,
                maxTxnOps, identity, tls, maxConcurrentStreams);
    }

    /** @return this configuration with these TLS flags */
    public NodeConfig withTls(TlsConfig flags) {
        return new NodeConfig(name, dataDir, listenClientUrls, advertiseClientUrls, listenPeerUrls,
                initialAdvertisePeerUrls, initialCluster, newCluster, clusterToken, heartbeatMillis, electionMillis,
                snapshotCount, autoCompactionMode, autoCompactionRetention, quotaBackendBytes, maxRequestBytes,
                maxTxnOps, joined, flags, maxConcurrentStreams);
    }

    /** @return this configuration with this {@code --max-concurrent-streams} */
    public NodeConfig withMaxConcurrentStreams(long streams) {
        return new NodeConfig(name, dataDir, listenClientUrls, advertiseClientUrls, listenPeerUrls,
                initialAdvertisePeerUrls, initialCluster, newCluster, clusterToken, heartbeatMillis, electionMillis,
                snapshotCount, autoCompactionMode, autoCompactionRetention, quotaBackendBytes, maxRequestBytes,
                maxTxnOps, joined, tls, streams);
    }

    /** etcd lets gRPC messages exceed {@code --max-request-bytes} by this much before refusing them unread. */
    public static final int GRPC_OVERHEAD_BYTES = 512 * 1024;

    /** etcd's defaults for a single member named {@code name}. */
    public static NodeConfig defaults(String name) {
        List<String> peer = List.of("http://localhost:2380");
        return new NodeConfig(name, Path.of(name + ".keel"), List.of("http://localhost:2379"),
                List.of("http://localhost:2379"), peer, peer, InitialCluster.parse(name + "=http://localhost:2380"),
                true, "etcd-cluster", 100, 1000, ReplicaConfig.DEFAULT_SNAPSHOT_COUNT, "periodic", "0", 0,
                MvccConfig.DEFAULT_MAX_REQUEST_BYTES, MvccConfig.DEFAULT_MAX_TXN_OPS);
    }

    /**
     * Checks what etcd checks at start-up.
     *
     * @throws IllegalArgumentException with one line saying what is wrong and which flag to change
     */
    public NodeConfig validate() {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("--name must not be empty");
        }
        if (heartbeatMillis < 1 || electionMillis < 1) {
            throw new IllegalArgumentException("--heartbeat-interval and --election-timeout must be positive");
        }
        if (5 * heartbeatMillis > electionMillis) {
            throw new IllegalArgumentException("--election-timeout[" + electionMillis + "ms] should be at least as 5 "
                    + "times as --heartbeat-interval[" + heartbeatMillis + "ms]");
        }
        if (electionMillis > 50_000) {
            throw new IllegalArgumentException("--election-timeout[" + electionMillis
                    + "ms] is too long, and should be set less than 50000ms");
        }
        if (snapshotCount < 1 || maxRequestBytes < 1 || maxTxnOps < 1 || quotaBackendBytes < 0) {
            throw new IllegalArgumentException(
                    "--snapshot-count, --max-request-bytes and --max-txn-ops must be positive, "
                            + "--quota-backend-bytes not negative");
        }
        if (maxConcurrentStreams < 1 || maxConcurrentStreams > MAX_CONCURRENT_STREAMS_LIMIT) {
            throw new IllegalArgumentException("--max-concurrent-streams: invalid value " + maxConcurrentStreams
                    + " (use 1.." + MAX_CONCURRENT_STREAMS_LIMIT + "; Keel's default is "
                    + DEFAULT_MAX_CONCURRENT_STREAMS + ")");
        }
        List<String> mine = initialCluster.peerUrls(name);
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("couldn't find local name \"" + name + "\" in the initial cluster "
                    + "configuration (--initial-cluster=" + initialCluster + ")");
        }
        if (!sorted(mine).equals(sorted(initialAdvertisePeerUrls))) {
            throw new IllegalArgumentException("--initial-cluster has " + name + "=" + String.join(",", mine)
                    + " but missing from --initial-advertise-peer-urls=" + String.join(",", initialAdvertisePeerUrls));
        }
        autoCompaction(1);
        tls.validate(listenClientUrls, listenPeerUrls);
        List<String> clusterPeers = new ArrayList<>(initialAdvertisePeerUrls);
        initialCluster.names().forEach(n -> clusterPeers.addAll(initialCluster.peerUrls(n)));
        TlsConfig.validatePeerSchemes(listenPeerUrls, clusterPeers);
        return this;
    }

    private static List<String> sorted(List<String> urls) {
        List<String> s = new ArrayList<>(urls);
        s.sort(null);
        return s;
    }

    /** @return this member's ID (etcd's computation from its peer URLs and the cluster token) */
    public long memberId() {
        if (joined != null) {
            return joined.memberId();
        }
        return MemberIds.memberId(initialAdvertisePeerUrls, clusterToken);
    }

    /** @return the IDs of the members named in {@code --initial-cluster}, by name, in the order given */
    public Map<String, Long> initialMemberIds() {
        Map<String, Long> ids = new LinkedHashMap<>();
        for (String n : initialCluster.names()) {
            ids.put(n, MemberIds.memberId(initialCluster.peerUrls(n), clusterToken));
        }
        return ids;
    }

    /** @return the cluster ID (etcd's computation from the founding members' IDs) */
    public long clusterId() {
        if (joined != null) {
            return joined.clusterId();
        }
        return MemberIds.clusterId(initialMemberIds().values().stream().mapToLong(Long::longValue).toArray());
    }

    /** @return where to reach each other founding member's peer port (its first peer URL) */
    public Map<Long, InetSocketAddress> peerAddresses() {
        Map<Long, InetSocketAddress> peers = new LinkedHashMap<>();
        long self = memberId();
        if (joined != null) {
            joined.peerUrls().forEach((id, urls) -> {
                if (id != self && !urls.isEmpty()) {
                    peers.put(id, Urls.parse(urls.get(0), "the cluster's member list"));
                }
            });
            return peers;
        }
        initialMemberIds().forEach((n, id) -> {
            if (id != self) {
                peers.put(id, Urls.parse(initialCluster.peerUrls(n).get(0), "--initial-cluster"));
            }
        });
        return peers;
    }

    /** @return the configured quota, etcd's 2 GiB default for 0 */
    public long quotaBytes() {
        return quotaBackendBytes == 0 ? MvccConfig.DEFAULT_QUOTA_BYTES : quotaBackendBytes;
    }

    /** @return ticks per election timeout (one tick is one heartbeat interval) */
    public int electionTicks() {
        return (int) Math.max(2, electionMillis / heartbeatMillis);
    }

    /** @return the replica's configuration: etcd's semantics of these flags in ticks */
    public ReplicaConfig replicaConfig(long seed) {
        long ticksPerSecond = Math.max(1, 1000 / heartbeatMillis);
        RaftConfig raft = RaftConfig.defaults(memberId(), seed).withTimeouts(electionTicks(), 1);
        long minTtl = Math.max(1, (long) Math.ceil(1.5 * electionMillis / 1000.0));
        // The API layer checks --max-request-bytes as etcd does, on etcd's measure; the store's own check on its
        // (larger) encoding only guards what gRPC's receive limit already bounds.
        MvccConfig mvcc = new MvccConfig().ticksPerSecond(ticksPerSecond)
                .maxRequestBytes(maxRequestBytes + GRPC_OVERHEAD_BYTES)
                .maxTxnOps(maxTxnOps).minLeaseTtlSeconds(minTtl)
                .quotaBytes(quotaBytes());
        ConfState founders = newCluster
                ? ConfState.ofVoters(initialMemberIds().values().stream().mapToLong(Long::longValue).toArray())
                : new ConfState();
        // The founders' peer URLs go into their bootstrap entries: the member registry every member replicates.
        Map<Long, byte[]> metadata = new LinkedHashMap<>();
        if (newCluster) {
            initialMemberIds().forEach((n, id) -> metadata.put(id, MemberMetadata.encode(initialCluster.peerUrls(n))));
        }
        int timeout = (int) (5 * ticksPerSecond + 2L * electionTicks());
        return new ReplicaConfig(raft, mvcc, founders, ticksPerSecond, snapshotCount,
                ReplicaConfig.DEFAULT_SNAPSHOT_CATCH_UP_ENTRIES, timeout, autoCompaction(ticksPerSecond),
                300 * ticksPerSecond, ReplicaConfig.DEFAULT_WAL_SEGMENT_BYTES, 64 * 1024 * 1024, metadata);
    }

    private AutoCompaction autoCompaction(long ticksPerSecond) {
        return AutoCompaction.parse(autoCompactionMode, autoCompactionRetention, ticksPerSecond);
    }
}
