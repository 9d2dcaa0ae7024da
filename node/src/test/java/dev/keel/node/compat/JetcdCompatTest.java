package dev.keel.node.compat;

import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * jetcd 0.8.5, the Java client, sees the same from Keel as from etcd 3.4: {@link JetcdSession} on a 3-member
 * cluster of each (the client talks to m1, the leader, so headers name the same member), transcripts equal
 * after masking IDs, ports, versions, db sizes and raft index bases. Transcripts go to {@code target/compat/}.
 */
class JetcdCompatTest {
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

    private static String session(ClusterFacts facts, long baseIndex) {
        try (Client client = Client.builder().endpoints("http://" + facts.endpoint("m1")).build()) {
            return new JetcdSession(client, facts, baseIndex).run();
        }
    }

    @Test
    void jetcdSeesTheSameFromKeelAsFromEtcd() throws IOException {
        String etcd = session(clusters.etcdFacts, clusters.etcdBaseIndex);
        String keel = session(clusters.keelFacts, clusters.keelBaseIndex);
        Path dir = Files.createDirectories(Path.of("target", "compat"));
        Files.writeString(dir.resolve("jetcd-etcd.txt"), etcd);
        Files.writeString(dir.resolve("jetcd-keel.txt"), keel);
        assertEquals(etcd, keel, "jetcd transcripts differ (both in " + dir.toAbsolutePath() + ")");
    }
}
