package dev.keel.node.compat;

import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * etcd's v3lock and v3election services through jetcd 0.8.5 ({@link LockElectionSession}), and etcdctl's
 * client-side {@code lock} and {@code elect}, against 3-member Keel and etcd 3.4 clusters: transcripts equal.
 * The client talks to a follower (m2), so the services' own calls take the forwarded paths.
 */
class LockElectionCompatTest {
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

    private static String session(ClusterFacts facts) throws Exception {
        try (Client client = Client.builder().endpoints("http://" + facts.endpoint("m2")).build()) {
            return new LockElectionSession(client).run();
        }
    }

    @Test
    void lockAndElectionServicesAnswerAsEtcds() throws Exception {
        String etcd = session(clusters.etcdFacts);
        String keel = session(clusters.keelFacts);
        Path dir = Files.createDirectories(Path.of("target", "compat"));
        Files.writeString(dir.resolve("lock-election-etcd.txt"), etcd);
        Files.writeString(dir.resolve("lock-election-keel.txt"), keel);
        assertEquals(etcd, keel, "lock/election transcripts differ (both in " + dir.toAbsolutePath() + ")");
    }

    @Test
    void etcdctlLockRunsTheCommandWhileHoldingTheLock() {
        for (ClusterFacts facts : List.of(clusters.etcdFacts, clusters.keelFacts)) {
            Etcdctl.Outcome out = Etcdctl.run(facts.endpoint("m2"),
                    List.of("lock", "ctl-lock", "--", "sh", "-c", "echo held $ETCD_LOCK_KEY | cut -c1-14"), "");
            assertEquals(0, out.exitCode(), out.toString());
            assertEquals("held ctl-lock/", out.stdout().strip(), out.toString());
        }
    }
}
