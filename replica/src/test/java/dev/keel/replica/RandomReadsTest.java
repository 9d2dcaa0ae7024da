package dev.keel.replica;

import dev.keel.kernel.util.SplitMix64;
import dev.keel.replica.testing.Kv;
import dev.keel.replica.testing.TestCluster;
import dev.keel.replica.testing.TestCluster.Node;
import dev.keel.replica.testing.TestCluster.Outcome;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Linearizable reads under seeded random schedules (leader changes, drops, delayed syncs, crashes): a read
 * that succeeded must see a revision at least as new as every write acknowledged before the read was
 * submitted (real-time order on one key).
 */
class RandomReadsTest {
    private static final String KEY = "register";

    /** A read and the newest revision acknowledged to any client when it was submitted. */
    private record Read(Node node, long token, long floor) {
    }

    /** A write to the register: where it was submitted. */
    private record Write(Node node, long token) {
    }

    @Test
    void linearizableReadsNeverMissAnAcknowledgedWrite() {
        int checked = 0;
        for (long seed = 1; seed <= 40; seed++) {
            checked += run(seed);
        }
        assertTrue(checked > 200, "too few reads were served to prove anything: " + checked);
    }

    private static int run(long seed) {
        SplitMix64 random = new SplitMix64(seed);
        TestCluster c = new TestCluster(3);
        SplitMix64 network = random.split();
        c.drop = s -> network.nextInt(100) < 5;
        List<Write> writes = new ArrayList<>();
        List<Read> reads = new ArrayList<>();
        for (int step = 0; step < 600; step++) {
            Node n = c.node(1 + random.nextInt(3));
            int action = random.nextInt(100);
            if (!n.up()) {
                if (action < 10) {
                    assertTrue(c.restart(n.id).started());
                }
            } else if (action < 35) {
                n.replica.tick();
            } else if (action < 45) {
                writes.add(new Write(n, c.put(n.id, KEY, "v" + step)));
            } else if (action < 60) {
                reads.add(new Read(n, c.get(n.id, KEY, false), newestAcknowledged(writes)));
            } else if (action < 75) {
                n.disk.completeSyncs();
            } else if (action < 99) {
                c.deliverAll();
            } else {
                c.crash(n.id);
            }
        }
        return check(reads, seed);
    }

    private static long newestAcknowledged(List<Write> writes) {
        long newest = 0;
        for (Write w : writes) {
            Outcome o = w.node.outcome(w.token);
            if (o != null && o.succeeded()) {
                newest = Math.max(newest, Kv.revision(o.response()));
            }
        }
        return newest;
    }

    private static int check(List<Read> reads, long seed) {
        int served = 0;
        for (Read r : reads) {
            Outcome o = r.node.outcome(r.token);
            if (o != null && o.succeeded()) {
                served++;
                long seen = Kv.modRevision(o.response());
                assertTrue(seen >= r.floor, "seed " + seed + ": a read on node " + r.node.id + " saw revision "
                        + seen + " after revision " + r.floor + " was acknowledged");
            }
        }
        return served;
    }
}
