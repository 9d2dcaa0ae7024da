package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.ResponseLayout;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Physical compaction in bounded steps; snapshots and hashes independent of its progress; restore. */
class CompactionAndSnapshotTest {
    /** Every snapshot taken here also checks its announced length and that it is position-independent. */
    private static byte[] snapshot(TestStore store) {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer();
        int n = store.sm.snapshot(out);
        assertEquals(n, store.sm.snapshotLength(), "snapshotLength() announces the exact length");
        ExpandableArrayBuffer shifted = new ExpandableArrayBuffer();
        assertEquals(n, store.sm.snapshot(shifted, 13));
        byte[] bytes = Arrays.copyOf(out.byteArray(), n);
        assertArrayEquals(bytes, Arrays.copyOfRange(shifted.byteArray(), 13, 13 + n), "same bytes at an offset");
        return bytes;
    }

    private static long hash(TestStore store, long revision) {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer();
        store.sm.hashKv(revision, out);
        return out.getLong(ResponseLayout.HEADER_LENGTH);
    }

    @Test
    void aLargeCompactionProceedsInBoundedStepsAndFreesSpace() {
        TestStore store = new TestStore(new MvccConfig().compactionStepBudget(1000));
        for (int i = 0; i < 200_000; i++) {
            store.apply(new Op.Put("key" + (i % 1000), "value-" + i, 0, 0));
        }
        long usedBefore = store.sm.usedBytes();
        store.apply(new Op.Compact(store.sm.revision()));
        assertTrue(store.sm.usedBytes() < usedBefore / 100, "quota usage drops at once when compaction applies");
        int steps = 0;
        while (store.sm.compacting()) {
            store.sm.tick();
            steps++;
        }
        // 199,000 garbage records at about 1,000 per step: about 200 steps, none of them long.
        assertTrue(steps > 150 && steps < 400, "steps: " + steps);
        assertEquals(1000, store.range(Op.Range.of("key", "kez")).count());
        assertEquals("value-199999", store.range(Op.Range.of("key999", "")).kvs().get(0).value());
    }

    @Test
    void snapshotAndHashDoNotDependOnPhysicalCompactionProgress() {
        TestStore eager = new TestStore(new MvccConfig().compactionStepBudget(1_000_000));
        TestStore lazy = new TestStore(new MvccConfig().compactionStepBudget(1));
        for (TestStore store : List.of(eager, lazy)) {
            for (int i = 0; i < 300; i++) {
                store.apply(new Op.Put("k" + (i % 7), "v" + i, 0, 0));
                if (i % 11 == 0) {
                    store.apply(new Op.Delete("k" + (i % 5), "", false));
                }
            }
            store.apply(new Op.Compact(200));
        }
        assertFalse(eager.sm.compacting());
        assertTrue(lazy.sm.compacting());
        assertArrayEquals(snapshot(eager), snapshot(lazy));
        assertEquals(hash(eager, 0), hash(lazy, 0));
        assertEquals(hash(eager, 250), hash(lazy, 250));
        assertEquals(eager.sm.usedBytes(), lazy.sm.usedBytes());
        lazy.apply(new Op.Put("k1", "different", 0, 0));
        assertNotEquals(hash(eager, 0), hash(lazy, 0));
    }

    @Test
    void restoreRebuildsAnIdenticalStoreAndWatchersCatchUp() {
        TestStore source = new TestStore();
        source.apply(new Op.LeaseGrant(60, 7));
        source.apply(new Op.Put("a", "1", 7, 0));
        source.apply(new Op.Put("b", "1", 0, 0));
        source.apply(new Op.Put("a", "2", 7, 0));
        source.apply(new Op.Delete("b", "", false));
        source.apply(new Op.Put("c", "3", 0, 0));
        source.apply(new Op.Compact(4));
        byte[] bytes = snapshot(source);

        TestStore replica = new TestStore();
        WatchCollector sink = new WatchCollector();
        replica.sm.watch(-1, new UnsafeBuffer(Op.b("a\0")), 0, 1, 1, 1, 0, 0, sink);
        assertTrue(replica.sm.restore(new UnsafeBuffer(bytes), 0, bytes.length));
        assertEquals(source.sm.revision(), replica.sm.revision());
        assertEquals(source.sm.compactRevision(), replica.sm.compactRevision());
        assertEquals(source.sm.appliedIndex(), replica.sm.appliedIndex());
        assertArrayEquals(bytes, snapshot(replica));
        assertEquals(hash(source, 0), hash(replica, 0));
        for (long rev = 4; rev <= source.sm.revision(); rev++) {
            Op.Range all = Op.Range.of("\0", "\0").at(rev);
            assertEquals(source.range(all), replica.range(all));
        }
        // The replica's watcher was waiting for revision 2: that is compacted in the restored history.
        replica.sm.syncWatchers(100);
        assertEquals(1, sink.canceled.size());

        // The lease and its attachment survived: revoking deletes "a" on both.
        replica.raftIndex = source.raftIndex;
        Op revoke = new Op.LeaseRevoke(7);
        assertEquals(source.apply(revoke), replica.apply(revoke));
        assertEquals(0, replica.range(Op.Range.of("a", "")).count());
        assertArrayEquals(snapshot(source), snapshot(replica));

        bytes[bytes.length / 2] ^= 1;
        assertFalse(replica.sm.restore(new UnsafeBuffer(bytes), 0, bytes.length), "a damaged snapshot is refused");
    }

    @Test
    void applyingAnAlreadyAppliedIndexIsSkipped() {
        TestStore store = new TestStore();
        store.apply(new Op.Put("a", "1", 0, 0));
        byte[] again = new Op.Put("a", "2", 0, 0).bytes();
        assertEquals(0, store.sm.apply(store.raftIndex, new UnsafeBuffer(again), 0, again.length,
                new ExpandableArrayBuffer()));
        assertEquals(2, store.sm.revision());
    }

    @Test
    void largeValuesGetPagesOfTheirOwnThatCompactionReleases() {
        TestStore store = new TestStore();
        String big = "x".repeat(700_000);
        for (int i = 0; i < 4; i++) {
            assertEquals(MvccError.OK, store.apply(new Op.Put("big", big + i, 0, 0)).error());
        }
        store.apply(new Op.Compact(store.sm.revision()));
        while (store.sm.compacting()) {
            store.sm.tick();
        }
        assertEquals(MvccError.OK, store.apply(new Op.Put("big2", big, 0, 0)).error());
        assertEquals(big + 3, store.range(Op.Range.of("big", "")).kvs().get(0).value());
        assertEquals(big, store.range(Op.Range.of("big2", "")).kvs().get(0).value());
    }
}
