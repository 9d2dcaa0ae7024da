package dev.keel.replica;

import dev.keel.kernel.util.SplitMix64;
import dev.keel.replica.testing.Kv;
import dev.keel.replica.testing.TestCluster;
import dev.keel.replica.testing.TestCluster.Node;
import dev.keel.replica.testing.TestCluster.Outcome;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random schedules of ticks, writes, sync completions, message deliveries (5 % dropped, 5 % duplicated),
 * crashes (some tearing the WAL tail) and restarts on three replicas; afterwards every acknowledged write must
 * be on every replica and the replicas must agree.
 */
class RandomFaultsTest {
    private static final int STEPS = 600;

    @Test
    void acknowledgedWritesSurviveRandomCrashesAndDelays() {
        assertChecked(runSeeds(false), 300);
    }

    @Test
    void acknowledgedWritesSurviveRandomCrashesDelaysAndFullDisks() {
        assertChecked(runSeeds(true), 100); // full disks refuse many writes: fewer are acknowledged
    }

    private static int runSeeds(boolean fullDisks) {
        int acked = 0;
        for (long seed = 1; seed <= 40; seed++) {
            acked += run(seed, fullDisks);
        }
        return acked;
    }

    private static void assertChecked(int acked, int atLeast) {
        assertTrue(acked > atLeast, "the schedules acknowledged too few writes to prove anything: " + acked);
    }

    private static int run(long seed, boolean fullDisks) {
        SplitMix64 random = new SplitMix64(seed);
        TestCluster c = new TestCluster(3, cfg -> cfg.withSnapshots(7, 2).withWalSegmentBytes(1024));
        Map<Long, String[]> writes = new TreeMap<>(); // token -> {key, value}
        SplitMix64 network = random.split();
        c.drop = s -> network.nextInt(100) < 5;
        c.duplicate = s -> network.nextInt(100) < 5;
        for (int step = 0; step < STEPS; step++) {
            Node n = c.node(1 + random.nextInt(3));
            int action = random.nextInt(100);
            if (fullDisks && random.nextInt(100) < 2) {
                n.disk.full = !n.disk.full;
            }
            if (!n.up()) {
                if (action < 10) {
                    StartResult r = c.restart(n.id);
                    assertTrue(r.started(), "seed " + seed + ": " + r.refusal());
                }
            } else if (action < 40) {
                n.replica.tick();
            } else if (action < 55) {
                String key = "k" + step;
                writes.put(c.put(n.id, key, "v" + step), new String[]{key, "v" + step});
            } else if (action < 75) {
                n.disk.completeSyncs();
            } else if (action < 99) {
                c.deliverAll();
            } else {
                c.crash(n.id, random.nextInt(3) == 0 ? random.nextInt(40) : 0);
            }
        }
        heal(c, seed);
        return checkAcknowledged(c, writes, seed);
    }

    private static void heal(TestCluster c, long seed) {
        c.drop = s -> false;
        c.duplicate = s -> false;
        for (Node n : c.nodes()) {
            n.disk.full = false;
            if (!n.up()) {
                StartResult r = c.restart(n.id);
                assertTrue(r.started(), "seed " + seed + ": " + r.refusal());
            }
        }
        for (int i = 0; i < 60; i++) {
            c.tickAll();
        }
    }

    private static int checkAcknowledged(TestCluster c, Map<Long, String[]> writes, long seed) {
        int acked = 0;
        for (Map.Entry<Long, String[]> w : writes.entrySet()) {
            for (Node m : c.nodes()) { // each write was submitted once: a duplicated forward must not apply twice
                assertTrue(Kv.localVersion(m.replica, w.getValue()[0]) <= 1,
                        "seed " + seed + ": " + w.getValue()[0] + " was applied twice on node " + m.id);
            }
            for (Node n : c.nodes()) {
                Outcome o = n.outcome(w.getKey());
                if (o != null && o.succeeded()) {
                    acked++;
                    for (Node m : c.nodes()) {
                        assertEquals(w.getValue()[1], c.valueAt(m.id, w.getValue()[0]),
                                "seed " + seed + ": acknowledged " + w.getValue()[0] + " missing on node " + m.id);
                    }
                }
            }
        }
        long applied = c.node(1).replica.raft().appliedIndex();
        for (Node n : c.nodes()) {
            assertEquals(applied, n.replica.raft().appliedIndex(), "seed " + seed + ": replicas did not converge");
            assertEquals(c.node(1).replica.mvcc().revision(), n.replica.mvcc().revision(), "seed " + seed);
        }
        return acked;
    }
}
