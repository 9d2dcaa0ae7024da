package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.watch.WatchRegistry;
import dev.keel.kernel.testing.Property;
import dev.keel.kernel.util.SplitMix64;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For random interleavings of writes, watcher creation at random start revisions, slow consumers (sinks
 * refusing offers), catch-up steps with small budgets and compactions, every watcher receives exactly the
 * events of its range from its start revision on, in revision order, without duplicates; a watcher that
 * falls behind a compaction receives a prefix and then a cancel with the compaction revision.
 */
class WatchPropertyTest {
    private record Spec(long id, String key, String end, long start, int options, WatchCollector sink,
                        List<String> trace) {
    }

    @Test
    void everyWatcherSeesItsEventsExactlyOnceInOrder() {
        Property.forAll("watch-exactly-once", 400, seed -> {
            SplitMix64 random = new SplitMix64(seed);
            ReferenceModel model = MvccModelTest.newModel();
            OpGenerator generator = new OpGenerator(random, model);
            TestStore store = new TestStore(new MvccConfig().compactionStepBudget(2));
            List<Spec> watchers = new ArrayList<>();
            Set<Long> compactions = new HashSet<>();
            List<String> trace = new ArrayList<>();
            for (int step = 0; step < 120; step++) {
                int pick = random.nextInt(100);
                if (pick < 55) {
                    Op op = switch (random.nextInt(3)) {
                        case 0 -> generator.put();
                        case 1 -> generator.delete();
                        default -> generator.txn(0);
                    };
                    trace.add(op.toString());
                    assertEquals(model.apply(op), store.apply(op), "write diverged: " + op);
                } else if (pick < 70) {
                    watchers.add(create(store, model, random, trace));
                } else if (pick < 82) {
                    int budget = 1 + random.nextInt(20);
                    trace.add("sync " + budget);
                    store.sm.syncWatchers(budget);
                } else if (pick < 92 && !watchers.isEmpty()) {
                    Spec w = watchers.get(random.nextInt(watchers.size()));
                    w.sink().refuseNext = random.nextInt(4);
                    trace.add("watcher " + w.id() + " refuses " + w.sink().refuseNext);
                } else if (model.current > model.compacted + 1 && random.nextInt(3) == 0) {
                    long rev = model.compacted + 1 + random.nextInt((int) (model.current - model.compacted));
                    Op.Compact compact = new Op.Compact(rev);
                    trace.add("compact " + rev);
                    assertEquals(model.apply(compact), store.apply(compact));
                    compactions.add(rev);
                }
            }
            for (Spec w : watchers) {
                w.sink().refuseNext = 0;
            }
            for (int i = 0; i < 10_000 && store.sm.syncWatchers(1000); i++) {
                // drain the catch-up
            }
            for (Spec w : watchers) {
                check(w, model, compactions, trace);
            }
        });
    }

    private static Spec create(TestStore store, ReferenceModel model, SplitMix64 random, List<String> trace) {
        String key = OpGenerator.KEYS[random.nextInt(OpGenerator.KEYS.length)];
        String end = switch (random.nextInt(3)) {
            case 0 -> "";
            case 1 -> OpGenerator.prefixEnd(key);
            default -> "\0";
        };
        long start = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt((int) model.current + 1);
        int options = (random.nextInt(2) == 0 ? WatchRegistry.PREV_KV : 0)
                | (random.nextInt(6) == 0 ? WatchRegistry.NO_PUT : 0)
                | (random.nextInt(6) == 0 ? WatchRegistry.NO_DELETE : 0);
        WatchCollector sink = new WatchCollector();
        byte[] both = Op.b(key + end);
        long id = store.sm.watch(-1, new UnsafeBuffer(both), 0, key.length(), key.length(), end.length(), start,
                options, sink);
        long effectiveStart = start == 0 ? model.current + 1 : start;
        trace.add("watch " + id + " " + Op.show(key) + ".." + Op.show(end) + " from " + start + " options " + options);
        return new Spec(id, key, end, effectiveStart, options, sink, trace);
    }

    private static void check(Spec w, ReferenceModel model, Set<Long> compactions, List<String> trace) {
        List<WatchCollector.Event> expected = new ArrayList<>();
        for (ReferenceModel.Write write : model.history) {
            boolean delete = write.kv() == null;
            if (write.main() < w.start() || !ReferenceModel.inRange(write.key(), w.key(), w.end())
                    || (delete && (w.options() & WatchRegistry.NO_DELETE) != 0)
                    || (!delete && (w.options() & WatchRegistry.NO_PUT) != 0)) {
                continue;
            }
            Response.Kv kv = delete ? new Response.Kv(write.key(), "", 0, write.main(), 0, 0) : write.kv();
            expected.add(new WatchCollector.Event(w.id(), delete, kv, null));
        }
        List<WatchCollector.Event> received = new ArrayList<>();
        for (WatchCollector.Event e : w.sink().events) {
            if (e.prev() != null) {
                assertEquals(model.get(e.kv().key(), e.kv().mod() - 1), e.prev(), "prev kv of " + e);
            }
            received.add(new WatchCollector.Event(e.watchId(), e.delete(), e.kv(), null));
        }
        // A tombstone exactly at the compaction revision is gone; Keel cancels watchers that would need it.
        expected.removeIf(e -> e.delete() && compactions.contains(e.kv().mod()) && !received.contains(e));
        String context = "watcher " + w.id() + " " + Op.show(w.key()) + ".." + Op.show(w.end()) + " from "
                + w.start() + "\ntrace:\n  " + String.join("\n  ", trace);
        if (!w.sink().canceled.isEmpty()) {
            long compactRevision = w.sink().canceled.get(0)[1];
            assertEquals(expected.subList(0, received.size()), received, "canceled watcher got a non-prefix; " + context);
            // It was canceled while still behind the compaction: nothing it got can be at or after it.
            assertTrue(received.stream().allMatch(e -> e.kv().mod() < compactRevision),
                    "canceled after passing the compaction revision; " + context);
            // Keel reports the revision after a compaction that freed a tombstone at it (see compatibility.md).
            assertTrue(compactions.contains(compactRevision) || compactions.contains(compactRevision - 1),
                    "canceled with an unknown compact revision");
            return;
        }
        assertEquals(expected, received, context);
    }
}
