package dev.keel.node.compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * etcdctl's lease commands print on Keel what they print on etcd 3.4: the session in
 * {@code compat/etcdctl-lease-session.txt} (grant, keys put with a lease, keep-alive, time-to-live with keys,
 * list, revoke, and their refusals, through the leader and through followers) on a 3-member Keel cluster and a
 * 3-member etcd cluster, command by command, after {@link OutputMasks} and {@link LeaseIds}. The transcripts are
 * kept in {@code target/compat/}.
 */
class EtcdctlLeaseCompatTest {
    private static final String SESSION = "/compat/etcdctl-lease-session.txt";
    private static ComparedClusters clusters;

    @BeforeAll
    static void startClusters() {
        EtcdTools.requireEtcd();
        clusters = ComparedClusters.start(3, UnaryOperator.identity(), List.of());
    }

    @AfterAll
    static void stopClusters() {
        if (clusters != null) {
            clusters.close();
        }
    }

    @Test
    void theLeaseSessionPrintsTheSameOnKeelAsOnEtcd() {
        SessionComparison run = SessionComparison.run(SESSION, clusters, "etcdctl-lease");
        assertTrue(run.steps().size() > 40, "the session has its commands");
        assertTrue(run.etcd().indexOf("<lease:4>") > 0, "four leases were granted and masked");
        assertEquals(List.of(), run.mismatches(), run.report());
    }
}
