package dev.keel.node.compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * etcdctl against Keel gives what etcdctl against etcd gives: the session in
 * {@code compat/etcdctl-session.txt}, run on a 3-member Keel cluster and a 3-member etcd 3.4 cluster, prints the
 * same stdout and stderr and exits the same, command by command, after {@link OutputMasks}. Both transcripts
 * are kept in {@code target/compat/} for a person to read.
 */
class EtcdctlCompatTest {
    private static final String SESSION = "/compat/etcdctl-session.txt";
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
    void theSessionPrintsTheSameOnKeelAsOnEtcd() {
        SessionComparison run = SessionComparison.run(SESSION, clusters, "etcdctl");
        assertTrue(run.steps().size() > 60, "the session has its commands");
        assertEquals(List.of(), run.mismatches(), run.report());
    }
}
