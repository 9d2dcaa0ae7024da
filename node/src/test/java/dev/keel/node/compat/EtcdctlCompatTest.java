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
    void theSessionPrintsTheSameOnKeelAsOnEtcd() throws IOException {
        List<EtcdctlScenario.Step> steps = EtcdctlScenario.load(SESSION);
        SessionRunner etcd = new SessionRunner(clusters.etcdFacts, clusters.etcdBaseIndex, true);
        SessionRunner keel = new SessionRunner(clusters.keelFacts, clusters.keelBaseIndex, false);
        StringBuilder etcdTranscript = new StringBuilder();
        StringBuilder keelTranscript = new StringBuilder();
        List<String> mismatches = new ArrayList<>();
        try {
            for (EtcdctlScenario.Step step : steps) {
                String expected = etcd.run(step);
                String actual = keel.run(step);
                etcdTranscript.append(expected);
                keelTranscript.append(actual);
                if (!expected.equals(actual)) {
                    mismatches.add("line " + step.line() + ":\n--- etcd\n" + expected + "--- Keel\n" + actual);
                }
            }
        } finally {
            etcd.close();
            keel.close();
        }
        Path dir = Files.createDirectories(Path.of("target", "compat"));
        Files.writeString(dir.resolve("etcdctl-etcd.txt"), etcdTranscript);
        Files.writeString(dir.resolve("etcdctl-keel.txt"), keelTranscript);
        assertTrue(steps.size() > 60, "the session has its commands");
        assertEquals(List.of(), mismatches, mismatches.size() + " of " + steps.size()
                + " commands differ (transcripts in " + dir.toAbsolutePath() + "):\n" + String.join("\n", mismatches));
    }
}
