package dev.keel.node.compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * etcdctl's {@code user}, {@code role} and {@code auth} commands, with {@code --user} good and bad, print on
 * Keel what they print on etcd 3.4: the session in {@code compat/etcdctl-auth-session.txt} on a 3-member Keel
 * cluster and a 3-member etcd cluster, compared command by command after {@link OutputMasks}.
 */
class EtcdctlAuthCompatTest {
    private static final String SESSION = "/compat/etcdctl-auth-session.txt";
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
    void theAuthSessionPrintsTheSameOnKeelAsOnEtcd() {
        SessionComparison run = SessionComparison.run(SESSION, clusters, "etcdctl-auth");
        assertTrue(run.steps().size() > 50, "the session has its commands");
        assertEquals(List.of(), run.mismatches(), run.report());
    }
}
