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
    void etcdctlElectCampaignsListensAndHandsOver() {
        String etcd = electSession(clusters.etcdFacts);
        String keel = electSession(clusters.keelFacts);
        assertEquals(etcd, keel, "etcdctl elect transcripts differ");
    }

    /**
     * {@code etcdctl elect ctl-el v1} wins and prints its key and value; {@code elect -l} on another member prints the
     * leader; a second campaigner waits; when the first stops (it resigns on SIGTERM), the second leads and the
     * listener prints it. Lease IDs in keys are masked.
     */
    private static String electSession(ClusterFacts facts) {
        StringBuilder out = new StringBuilder();
        try (EtcdctlProcess first = new EtcdctlProcess(facts.endpoint("m2"), List.of("elect", "ctl-el", "v1"));
             EtcdctlProcess listener = new EtcdctlProcess(facts.endpoint("m3"), List.of("elect", "-l", "ctl-el"))) {
            awaitLines(first, 2, "etcdctl elect to win");
            awaitLines(listener, 2, "etcdctl elect -l to print the leader");
            try (EtcdctlProcess second = new EtcdctlProcess(facts.endpoint("m1"), List.of("elect", "ctl-el", "v2"))) {
                out.append("first: ").append(masked(first.stdout()));
                first.close();
                awaitLines(second, 2, "the second campaigner to win");
                awaitLines(listener, 4, "etcdctl elect -l to print the new leader");
                out.append("second: ").append(masked(second.stdout()));
                out.append("listener: ").append(masked(listener.stdout()));
            }
        }
        return out.toString();
    }

    private static void awaitLines(EtcdctlProcess p, int lines, String what) {
        dev.keel.node.Awaits.until(what, 30_000, () -> p.stdout().lines().count() >= lines || !p.isAlive());
        assertTrue(p.stdout().lines().count() >= lines, what + ": " + p.stdout() + p.stderr());
    }

    private static String masked(String stdout) {
        return stdout.replaceAll("ctl-el/[0-9a-f]+", "ctl-el/<lease>").replace('\n', '|') + "\n";
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
