package dev.keel.node.process;

import io.etcd.jetcd.api.StatusResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three {@code bin/keel} processes: the leader killed with SIGKILL mid-stream, a new one elected among the
 * survivors, writes going on through them, and a restarted member catching up — from the log when it was
 * briefly down, from a snapshot when it missed more than the leader keeps.
 */
class ClusterFailoverIT {
    private static final long ELECTION_TIMEOUT_MILLIS = 1_000; // bin/keel's default --election-timeout
    /** Three election timeouts (a split vote or two) plus the time to notice by polling Status. */
    private static final long ELECTION_BOUND_MILLIS = 3 * ELECTION_TIMEOUT_MILLIS + 2_000;
    private static final long START_MILLIS = 60_000;

    @RegisterExtension
    final LogsOnFailure logs = new LogsOnFailure();
    private ProcessCluster cluster;

    @AfterEach
    void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void killingTheLeaderElectsANewOneKeepsEveryAcknowledgedWriteAndTheOldLeaderCatchesUp() {
        cluster = logs.watch(ProcessCluster.builder().members(3).start());
        KeelProcess oldLeader = cluster.awaitLeader(START_MILLIS);
        Map<String, String> acked;
        try (AckedWriters writers = AckedWriters.start("failover/", 6, this::runningEndpoints, Long.MAX_VALUE)) {
            writers.awaitAcked(300, 30_000);
            Waits.until("puts are in flight", 5_000, () -> writers.inFlight() > 0);
            long killedAt = System.nanoTime();
            oldLeader.kill();
            List<KeelProcess> survivors = cluster.running();
            long electionMillis = Waits.until("the survivors agree on a new leader", 30_000, () ->
                    cluster.agreedLeader(survivors).isPresent());
            int atElection = writers.ackedCount();
            writers.awaitAcked(atElection + 200, 30_000);
            long resumedMillis = (System.nanoTime() - killedAt) / 1_000_000;
            acked = writers.stop();
            System.out.printf("failover: new leader %s agreed %d ms after SIGKILL of leader %s (bound %d ms);"
                            + " 200 more puts acknowledged %d ms after the kill; %d acknowledged, %d failed%n",
                    cluster.agreedLeader(survivors).map(KeelProcess::name).orElse("?"), electionMillis,
                    oldLeader.name(), ELECTION_BOUND_MILLIS, resumedMillis, acked.size(), writers.failures());
            assertTrue(electionMillis < ELECTION_BOUND_MILLIS, "election took " + electionMillis + " ms");
        }
        restartAndCatchUp(oldLeader, "failover/", acked);
    }

    @Test
    void aMemberFarBehindCatchesUpFromTheLeadersSnapshot() {
        cluster = logs.watch(ProcessCluster.builder().members(3).flag("--snapshot-count", "100").start());
        KeelProcess leader = cluster.awaitLeader(START_MILLIS);
        KeelProcess behind = cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
        behind.kill();
        // More entries than the 5,000 a leader keeps after its snapshot for slow followers (etcd's default).
        int puts = 6_000;
        long t0 = System.nanoTime();
        Map<String, String> acked;
        try (AckedWriters writers = AckedWriters.start("far/", 32, this::runningEndpoints, puts)) {
            writers.awaitDone(120_000);
            acked = writers.stop();
        }
        long writeMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("snapshot catch-up: %d puts acknowledged by two members in %d ms (%.0f puts/s)%n",
                acked.size(), writeMillis, acked.size() * 1000.0 / writeMillis);
        restartAndCatchUp(behind, "far/", acked);
        String installed = behind.logOfThisLife().lines().filter(l -> l.contains("installed a snapshot"))
                .findFirst().orElse("");
        assertTrue(!installed.isEmpty(), "the restarted member logs installing the leader's snapshot:\n"
                + behind.logTail(20));
        System.out.println("snapshot catch-up: " + installed);
    }

    /**
     * Restarts {@code member} on its data, waits until it holds the leader's revision, and checks it and
     * every other member hold every acknowledged put: a linearizable read on it, serializable reads on each.
     */
    private void restartAndCatchUp(KeelProcess member, String prefix, Map<String, String> acked) {
        long revision = agreedRevisionOfRunning();
        long t0 = System.nanoTime();
        member.start();
        long caughtUpMillis = Waits.until(member.name() + " reaches revision " + revision, START_MILLIS, () ->
                member.status().map(s -> s.getHeader().getRevision() >= revision).orElse(false));
        System.out.printf("%s restarted and reached revision %d in %d ms (JVM start included)%n", member.name(),
                revision, caughtUpMillis);
        Map<String, String> linearizable = readEventually(member, prefix, false);
        SingleMemberCrashIT.assertHoldsAll(acked, linearizable, member + " (linearizable)");
        for (KeelProcess m : cluster.members()) {
            assertEquals(revision, m.status().map(s -> s.getHeader().getRevision()).orElse(-1L), m + " revision");
            Map<String, String> serializable = EtcdStubs.read(m.endpoint(), prefix, true);
            SingleMemberCrashIT.assertHoldsAll(acked, serializable, m + " (serializable)");
            assertEquals(linearizable, serializable, m + " holds the same data as the restarted member");
        }
    }

    /** A restarted follower answers linearizable reads once it knows the leader: retry until then. */
    private static Map<String, String> readEventually(KeelProcess member, String prefix, boolean serializable) {
        List<Map<String, String>> out = new ArrayList<>();
        Waits.until("a read on " + member + " succeeds", 20_000, () -> {
            try {
                out.add(EtcdStubs.read(member.endpoint(), prefix, serializable));
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
        return out.get(0);
    }

    /** @return the revision every running member reports, once they agree (writes have stopped) */
    private long agreedRevisionOfRunning() {
        long[] revision = new long[1];
        Waits.until("the running members agree on a revision", 20_000, () -> {
            long seen = -1;
            for (KeelProcess m : cluster.running()) {
                Optional<StatusResponse> s = m.status();
                if (s.isEmpty() || (seen >= 0 && s.get().getHeader().getRevision() != seen)) {
                    return false;
                }
                seen = s.get().getHeader().getRevision();
            }
            revision[0] = seen;
            return seen > 0;
        });
        assertNotEquals(0, revision[0]);
        return revision[0];
    }

    private List<String> runningEndpoints() {
        return cluster.running().stream().map(KeelProcess::endpoint).toList();
    }
}
