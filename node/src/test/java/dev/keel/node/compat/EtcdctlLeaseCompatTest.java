package dev.keel.node.compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    void theLeaseSessionPrintsTheSameOnKeelAsOnEtcd() throws IOException {
        List<EtcdctlScenario.Step> steps = EtcdctlScenario.load(SESSION);
        SessionRunner etcd = new SessionRunner(clusters.etcdFacts, clusters.etcdBaseIndex, true);
        SessionRunner keel = new SessionRunner(clusters.keelFacts, clusters.keelBaseIndex, false);
        StringBuilder etcdTranscript = new StringBuilder();
        StringBuilder keelTranscript = new StringBuilder();
        List<String> mismatches = new ArrayList<>();
        for (EtcdctlScenario.Step step : steps) {
            String expected = etcd.run(step);
            String actual = keel.run(step);
            etcdTranscript.append(expected);
            keelTranscript.append(actual);
            if (!expected.equals(actual)) {
                mismatches.add("line " + step.line() + ":\n--- etcd\n" + expected + "--- Keel\n" + actual);
            }
        }
        Path dir = Files.createDirectories(Path.of("target", "compat"));
        Files.writeString(dir.resolve("etcdctl-lease-etcd.txt"), etcdTranscript);
        Files.writeString(dir.resolve("etcdctl-lease-keel.txt"), keelTranscript);
        assertTrue(steps.size() > 40, "the session has its commands");
        assertTrue(etcdTranscript.indexOf("<lease:4>") > 0, "four leases were granted and masked");
        assertEquals(List.of(), mismatches, mismatches.size() + " of " + steps.size()
                + " commands differ (transcripts in " + dir.toAbsolutePath() + "):\n" + String.join("\n", mismatches));
    }
}
