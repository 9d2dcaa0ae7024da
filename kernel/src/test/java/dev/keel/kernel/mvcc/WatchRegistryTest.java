package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.watch.BoundedWatchBuffer;
import dev.keel.kernel.mvcc.watch.WatchRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Watch API details: IDs, cancel, progress, from-key ranges, and a slow consumer behind a bounded buffer. */
class WatchRegistryTest {
    private final TestStore store = new TestStore();

    private long watch(long id, String key, String end, long start, int options, dev.keel.kernel.mvcc.watch.WatchSink sink) {
        byte[] both = Op.b(key + end);
        return store.sm.watch(id, new UnsafeBuffer(both), 0, key.length(), key.length(), end.length(), start, options,
                sink);
    }

    /**
     * Found by the simulator: a watcher that asked for a future revision, taken over by a snapshot restore (or
     * refused by a slow sink) and then caught up, started receiving events from the current revision instead
     * of its start revision.
     */
    @Test
    void aFutureStartRevisionSurvivesCatchUpAfterARestore() {
        TestStore donor = new TestStore();
        for (int i = 0; i < 5; i++) {
            donor.apply(new Op.Put("k", "d" + i, 0, 0));
        }
        org.agrona.ExpandableArrayBuffer snapshot = new org.agrona.ExpandableArrayBuffer();
        int length = donor.sm.snapshot(snapshot);
        WatchCollector sink = new WatchCollector();
        store.apply(new Op.Put("k", "a", 0, 0));
        watch(-1, "k", "", 10, 0, sink); // current revision is 2: revision 10 is in the future
        assertTrue(store.sm.restore(snapshot, 0, length)); // revision 6 now
        store.sm.syncWatchers(1000);
        store.raftIndex = donor.raftIndex;
        for (int i = 0; i < 6; i++) {
            store.apply(new Op.Put("k", "b" + i, 0, 0)); // revisions 7..12
            store.sm.syncWatchers(1000);
        }
        List<Long> revisions = new ArrayList<>();
        sink.events.forEach(e -> revisions.add(e.kv().mod()));
        assertEquals(List.of(10L, 11L, 12L), revisions);
    }

    /**
     * Found by the simulator: a watcher starting exactly at the compaction revision silently missed a delete
     * there (compaction frees that tombstone; etcd 3.4 skips it too). Keel cancels such a watcher and reports the
     * next revision as compact_revision; one that only needs puts at that revision is served as etcd does.
     */
    @Test
    void aWatchFromTheCompactionRevisionNeverSkipsADeleteThere() {
        store.apply(new Op.Put("a", "1", 0, 0));                 // 2
        store.apply(new Op.Put("b", "1", 0, 0));                 // 3
        store.apply(new Op.Delete("a", "", false));              // 4
        store.apply(new Op.Compact(4));
        WatchCollector sink = new WatchCollector();
        watch(-1, "a", "c", 4, 0, sink);
        store.sm.syncWatchers(1000);
        assertEquals(1, sink.canceled.size());
        assertEquals(5, sink.canceled.get(0)[1]);
        assertTrue(sink.events.isEmpty());
        org.agrona.ExpandableArrayBuffer snapshot = new org.agrona.ExpandableArrayBuffer();
        TestStore restored = new TestStore();
        assertTrue(restored.sm.restore(snapshot, 0, store.sm.snapshot(snapshot)));
        WatchCollector again = new WatchCollector();
        restored.sm.watch(-1, new UnsafeBuffer(Op.b("ac")), 0, 1, 1, 1, 4, 0, again);
        restored.sm.syncWatchers(1000);
        assertEquals(5, again.canceled.get(0)[1], "a restored replica answers the same");

        TestStore puts = new TestStore();
        puts.apply(new Op.Put("a", "1", 0, 0));                  // 2
        puts.apply(new Op.Put("a", "2", 0, 0));                  // 3
        puts.apply(new Op.Compact(3));
        WatchCollector fine = new WatchCollector();
        puts.sm.watch(-1, new UnsafeBuffer(Op.b("a")), 0, 1, 1, 0, 3, 0, fine);
        puts.sm.syncWatchers(1000);
        assertTrue(fine.canceled.isEmpty());
        assertEquals(1, fine.events.size());
    }

    @Test
    void idsCancelAndFromKeyRanges() {
        WatchCollector sink = new WatchCollector();
        assertEquals(7, watch(7, "b", "\0", 0, 0, sink));
        assertEquals(-1, watch(7, "x", "", 0, 0, sink), "a taken ID is refused");
        assertEquals(0, watch(-1, "a", "", 0, WatchRegistry.NO_PUT, sink));
        store.apply(new Op.Put("a", "1", 0, 0));
        store.apply(new Op.Put("zzz", "1", 0, 0));
        store.apply(new Op.Delete("a", "", false));
        assertEquals(2, sink.events.size());
        assertEquals(7, sink.events.get(0).watchId());
        assertEquals("zzz", sink.events.get(0).kv().key());
        assertEquals(0, sink.events.get(1).watchId());
        assertTrue(sink.events.get(1).delete());
        assertTrue(store.sm.cancelWatch(7));
        assertFalse(store.sm.cancelWatch(7));
        store.apply(new Op.Put("zzz", "2", 0, 0));
        assertEquals(2, sink.events.size());
    }

    @Test
    void progressNotificationsAndRequestProgress() {
        WatchCollector sink = new WatchCollector();
        WatchCollector other = new WatchCollector();
        store.apply(new Op.Put("k", "1", 0, 0));
        watch(-1, "k", "", 0, WatchRegistry.PROGRESS_NOTIFY, sink);
        watch(-1, "k", "", 1, 0, other);
        store.sm.progressNotify();
        assertEquals(List.of(2L), sink.progress);
        assertTrue(other.progress.isEmpty(), "only watchers that asked get periodic progress");
        assertFalse(store.sm.requestProgress(other), "the stream's watcher is still catching up");
        store.sm.syncWatchers(100);
        assertTrue(store.sm.requestProgress(other));
        assertEquals(List.of(2L), other.progress);
        assertEquals(1, other.events.size());
    }

    @Test
    void aSlowConsumerBehindABoundedBufferLosesNothing() {
        BoundedWatchBuffer buffer = new BoundedWatchBuffer(600);
        watch(-1, "k", "l", 0, WatchRegistry.PREV_KV, buffer);
        List<String> values = new ArrayList<>();
        WatchCollector decoder = new WatchCollector();
        BoundedWatchBuffer.Consumer consumer = (id, response, offset, length) -> decoder.offer(id, response, offset,
                length);
        int expected = 0;
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 7; i++) {
                store.apply(new Op.Put("k" + (i % 3), "v" + expected++, 0, 0));
            }
            assertTrue(buffer.usedBytes() <= 600);
            if (round % 3 == 2) {
                buffer.drain(consumer);
                store.sm.syncWatchers(1000);
            }
        }
        for (int i = 0; i < 100 && (store.sm.syncWatchers(1000) || buffer.usedBytes() > 0); i++) {
            buffer.drain(consumer);
        }
        for (WatchCollector.Event e : decoder.events) {
            values.add(e.kv().value());
        }
        List<String> all = new ArrayList<>();
        for (int i = 0; i < expected; i++) {
            all.add("v" + i);
        }
        assertEquals(all, values);
    }

    @Test
    void anIdleSingleKeyWatcherIsNotCanceledByACompactionItDidNotFallBehind() {
        WatchCollector sink = new WatchCollector();
        watch(-1, "quiet", "", 0, 0, sink);
        for (int i = 0; i < 20; i++) {
            store.apply(new Op.Put("busy", "v" + i, 0, 0));
        }
        store.apply(new Op.Compact(store.sm.revision()));
        sink.refuseNext = 1;
        store.apply(new Op.Put("quiet", "1", 0, 0));
        store.sm.syncWatchers(1000);
        assertTrue(sink.canceled.isEmpty(), "the watcher had every event before the compaction");
        assertEquals(1, sink.events.size());
        assertEquals("1", sink.events.get(0).kv().value());
    }

    @Test
    void singleKeyWatchersOnlySeeTheirKeyAndDeliveryFollowsWatchIdOrder() {
        List<Long> order = new ArrayList<>();
        dev.keel.kernel.mvcc.watch.WatchSink sink = (id, response, offset, length) -> order.add(id);
        long a = watch(-1, "k", "", 0, 0, sink);
        long range = watch(-1, "j", "l", 0, 0, sink);
        long b = watch(-1, "k", "", 0, 0, sink);
        watch(-1, "other", "", 0, 0, sink);
        store.apply(new Op.Put("k", "1", 0, 0));
        assertEquals(List.of(a, range, b), order);
    }
}
