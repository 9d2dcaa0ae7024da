package dev.keel.replica;

import dev.keel.replica.testing.TestCluster;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** etcd 3.4's auto-compaction schedules ({@link AutoCompactor}) and flags ({@link AutoCompaction#parse}). */
class AutoCompactionTest {

    /** Runs {@code ticks} ticks; the revision at tick t (1-based) is {@code revisionAt(t)}; returns {tick, target}. */
    private static List<long[]> run(AutoCompactor c, int ticks, LongUnaryOperator revisionAt) {
        List<long[]> compactions = new ArrayList<>();
        long compacted = 0;
        for (int t = 1; t <= ticks; t++) {
            long target = c.onTick(revisionAt.applyAsLong(t), compacted);
            if (target > 0) {
                compactions.add(new long[]{t, target});
                compacted = target; // the proposal was applied
            }
        }
        return compactions;
    }

    @Test
    void revisionModeCompactsEveryCheckIntervalToCurrentMinusRetention() {
        AutoCompactor c = new AutoCompactor(AutoCompaction.revision(100, 5), 10);
        List<long[]> got = run(c, 20, t -> 1000 + 10 * t);
        assertEquals(4, got.size());
        for (int i = 0; i < got.size(); i++) {
            long tick = 5L * (i + 1);
            assertEquals(tick, got.get(i)[0]);
            assertEquals(1000 + 10 * tick - 100, got.get(i)[1]);
        }
    }

    @Test
    void revisionModeNeverCompactsTwiceToTheSameTarget() {
        AutoCompactor c = new AutoCompactor(AutoCompaction.revision(100, 5), 10);
        long compacted = 0; // the first proposal is not applied yet: the store still says 0
        int proposals = 0;
        for (int t = 1; t <= 50; t++) {
            if (c.onTick(1000, compacted) > 0) {
                proposals++;
            }
        }
        assertEquals(1, proposals, "an unchanged revision was compacted to again");
        assertEquals(0, c.onTick(50, 0), "nothing to keep below retention");
    }

    @Test
    void periodicModeWaitsAWholeRetentionThenCompactsEveryRetentionToTheRevisionOneRetentionAgo() {
        AutoCompactor c = new AutoCompactor(AutoCompaction.periodic(100), 1); // 100 ticks, below an hour
        List<long[]> got = run(c, 350, t -> 1000 + t);
        assertEquals(3, got.size());
        assertEquals(100, got.get(0)[0], "the first compaction comes after a whole retention");
        assertEquals(1001, got.get(0)[1], "to the revision sampled at the start");
        for (int i = 1; i < got.size(); i++) {
            long tick = got.get(i)[0];
            assertEquals(100L * (i + 1), tick);
            long sampledAt = got.get(i)[1] - 1000;
            assertTrue(tick - sampledAt >= 100 && tick - sampledAt <= 110,
                    "target sampled " + (tick - sampledAt) + " ticks ago, not one retention");
        }
    }

    @Test
    void periodicModeWithARetentionAboveAnHourCompactsHourly() {
        AutoCompactor c = new AutoCompactor(AutoCompaction.periodic(7200), 1); // 2 h at 1 tick per second
        List<long[]> got = run(c, 7200 + 3600 * 2, t -> 1000 + t);
        assertEquals(3, got.size());
        assertEquals(7200, got.get(0)[0]);
        assertEquals(7200 + 3600, got.get(1)[0]);
        assertEquals(7200 + 7200, got.get(2)[0]);
        long age = got.get(1)[0] - (got.get(1)[1] - 1000);
        assertTrue(age >= 7200 && age <= 7200 + 360, "target sampled " + age + " ticks ago");
    }

    @Test
    void resetStartsTheFirstCycleOver() {
        AutoCompactor c = new AutoCompactor(AutoCompaction.periodic(100), 1);
        assertEquals(1, run(c, 150, t -> 1000 + t).size());
        c.reset(); // a new leader
        List<long[]> again = run(c, 150, t -> 5000 + t);
        assertEquals(1, again.size());
        assertEquals(100, again.get(0)[0]);
    }

    @Test
    void offNeverCompacts() {
        assertEquals(0, run(new AutoCompactor(AutoCompaction.off(), 10), 10_000, t -> t * 100).size());
        assertEquals(AutoCompaction.Mode.OFF, AutoCompaction.periodic(0).mode());
    }

    @Test
    void parsesEtcdFlags() {
        assertEquals(AutoCompaction.periodic(3600 * 10), AutoCompaction.parse("periodic", "1h", 10));
        assertEquals(AutoCompaction.periodic(1800 * 10), AutoCompaction.parse("periodic", "30m", 10));
        assertEquals(AutoCompaction.periodic(5 * 3600 * 10), AutoCompaction.parse("periodic", "5", 10));
        assertEquals(AutoCompaction.periodic(5400 * 10), AutoCompaction.parse("Periodic", "1h30m", 10));
        assertEquals(AutoCompaction.revision(1000, 300 * 10), AutoCompaction.parse("revision", "1000", 10));
        assertEquals(AutoCompaction.Mode.OFF, AutoCompaction.parse("periodic", "0", 10).mode());
    }

    @Test
    void refusesBadFlags() {
        String[][] bad = {{"periodic", ""}, {"periodic", "1x"}, {"periodic", "h"}, {"periodic", "1h30"},
            {"periodic", "-1h"}, {"revision", "-1"}, {"revision", "1k"}, {"revision", ""}, {"weekly", "1h"}};
        for (String[] b : bad) {
            assertThrows(IllegalArgumentException.class, () -> AutoCompaction.parse(b[0], b[1], 10),
                    b[0] + " " + b[1]);
        }
    }

    @Test
    void theLeaderProposesCompactionsThatEveryReplicaApplies() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withAutoCompaction(AutoCompaction.revision(3, 2)));
        c.elect(1);
        for (int i = 0; i < 10; i++) {
            c.putAndSettle(1, "k", "v" + i);
        }
        for (int i = 0; i < 4; i++) {
            c.tick(1);
        }
        long current = c.node(1).replica.mvcc().revision();
        for (long id = 1; id <= 3; id++) {
            assertEquals(current - 3, c.node(id).replica.mvcc().compactRevision(), "node " + id);
        }
    }
}
