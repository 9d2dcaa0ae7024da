package dev.keel.node.compat;

import dev.keel.node.KeelCluster;
import dev.keel.node.config.NodeConfig;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A Keel cluster and a real etcd cluster of the same size, both led by m1 in term 2 and settled, for running the
 * same client session against each. Closing stops both.
 */
public final class ComparedClusters implements AutoCloseable {
    static final String TOKEN = "compat";

    /** The Keel cluster (members m1..mN, m1 leading). */
    public final KeelCluster keel;
    /** The etcd cluster (members m1..mN, m1 leading). */
    public final ReferenceEtcd etcd;
    /** What Keel's member list says: IDs, endpoints. */
    public final ClusterFacts keelFacts;
    /** What etcd's member list says: IDs, endpoints. */
    public final ClusterFacts etcdFacts;
    /** Each cluster's applied raft index once settled, before the session. */
    public final long keelBaseIndex;
    public final long etcdBaseIndex;

    private ComparedClusters(KeelCluster keel, ReferenceEtcd etcd) {
        this.keel = keel;
        this.etcd = etcd;
        List<String> names = etcd.names();
        this.etcdFacts = awaitFacts(etcd.clientEndpoints().get(0), names, etcd);
        this.keelFacts = awaitFacts(keel.member(0).clientEndpoints().get(0), names, null);
        this.etcdBaseIndex = ClusterSettling.awaitSettled(etcdFacts, true, "etcd");
        this.keelBaseIndex = ClusterSettling.awaitSettled(keelFacts, false, "Keel");
    }

    /**
     * Starts both; Keel's members get etcd's defaults changed by {@code keelChange}, etcd's get {@code etcdFlags}.
     */
    public static ComparedClusters start(int members, UnaryOperator<NodeConfig> keelChange, List<String> etcdFlags) {
        ReferenceEtcd etcd = ReferenceEtcd.start(members, TOKEN, etcdFlags);
        KeelCluster keel = null;
        try {
            keel = startKeel(members, keelChange);
            return new ComparedClusters(keel, etcd);
        } catch (RuntimeException | AssertionError e) {
            if (keel != null) {
                keel.close();
            }
            etcd.close();
            throw e;
        }
    }

    /** Starts a Keel cluster whose m1 has the short election timeout, as {@link ReferenceEtcd} does. */
    public static KeelCluster startKeel(int members, UnaryOperator<NodeConfig> change) {
        return KeelCluster.builder().members(members).clusterToken(TOKEN).configure(c -> {
            boolean favoured = c.name().equals("m1");
            NodeConfig timed = withTimeouts(c, ReferenceEtcd.LEADER_HEARTBEAT_MILLIS, favoured
                    ? ReferenceEtcd.LEADER_ELECTION_MILLIS : ReferenceEtcd.FOLLOWER_ELECTION_MILLIS);
            return change.apply(timed);
        }).start();
    }

    static NodeConfig withTimeouts(NodeConfig c, long heartbeatMillis, long electionMillis) {
        return new NodeConfig(c.name(), c.dataDir(), c.listenClientUrls(), c.advertiseClientUrls(),
                c.listenPeerUrls(), c.initialAdvertisePeerUrls(), c.initialCluster(), c.newCluster(),
                c.clusterToken(), heartbeatMillis, electionMillis, c.snapshotCount(), c.autoCompactionMode(),
                c.autoCompactionRetention(), c.quotaBackendBytes(), c.maxRequestBytes(), c.maxTxnOps());
    }

    private static ClusterFacts awaitFacts(String endpoint, List<String> names, ReferenceEtcd etcd) {
        ClusterFacts[] facts = new ClusterFacts[1];
        dev.keel.node.Awaits.until("the member list names every member with its URLs", 30_000, () -> {
            if (etcd != null && etcd.exited() != null) {
                throw new AssertionError(etcd.exited());
            }
            try {
                facts[0] = ClusterFacts.learn(endpoint, names);
                return true;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        return facts[0];
    }

    @Override
    public void close() {
        try {
            keel.close();
        } finally {
            etcd.close();
        }
    }
}
