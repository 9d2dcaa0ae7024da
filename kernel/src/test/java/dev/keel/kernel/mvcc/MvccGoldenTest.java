package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.watch.WatchRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed scenario, with every answer checked against what etcd 3.4.23 printed for the same commands
 * ({@code etcdctl put/get/del/watch/compact} on a fresh single member).
 */
class MvccGoldenTest {
    private final TestStore store = new TestStore();

    private static long watch(TestStore store, String key, String end, long startRevision, WatchCollector sink) {
        byte[] k = Op.b(key);
        byte[] e = Op.b(end);
        byte[] both = new byte[k.length + e.length];
        System.arraycopy(k, 0, both, 0, k.length);
        System.arraycopy(e, 0, both, k.length, e.length);
        return store.sm.watch(-1, new UnsafeBuffer(both), 0, k.length, k.length, e.length, startRevision, 0, sink);
    }

    @Test
    void seedScenario() {
        // etcdctl put name 11 -> OK, revision 2 on a fresh store
        Response put = store.apply(new Op.Put("name", "11", 0, 0));
        assertEquals(MvccError.OK, put.error());
        assertEquals(2, put.revision());

        // etcdctl get name -> name / 11
        Response get = store.range(Op.Range.of("name", ""));
        assertEquals(List.of(new Response.Kv("name", "11", 2, 2, 1, 0)), get.kvs());
        assertEquals(1, get.count());

        // etcdctl del name -> 1
        Response del = store.apply(new Op.Delete("name", "", false));
        assertEquals(1, del.deleted());
        assertEquals(3, del.revision());

        // a watcher on the /cron/jobs/ prefix, then etcdctl get --prefix /cron/jobs/ on an empty prefix
        WatchCollector live = new WatchCollector();
        watch(store, "/cron/jobs/", "/cron/jobs0", 0, live);
        Response empty = store.range(Op.Range.of("/cron/jobs/", "/cron/jobs0"));
        assertEquals(0, empty.count());
        assertEquals(3, empty.revision());

        store.apply(new Op.Put("/cron/jobs/a", "1", 0, 0));
        store.apply(new Op.Put("/cron/jobs/b", "2", 0, 0));
        store.apply(new Op.Delete("/cron/jobs/a", "", false));
        store.apply(new Op.Put("/other", "x", 0, 0));
        assertEquals(List.of(
                new WatchCollector.Event(0, false, new Response.Kv("/cron/jobs/a", "1", 4, 4, 1, 0), null),
                new WatchCollector.Event(0, false, new Response.Kv("/cron/jobs/b", "2", 5, 5, 1, 0), null),
                new WatchCollector.Event(0, true, new Response.Kv("/cron/jobs/a", "", 0, 6, 0, 0), null)),
                live.events);

        // etcdctl watch --rev=2 foo replays foo's history from revision 2
        TestStore fresh = new TestStore();
        fresh.apply(new Op.Put("foo", "bar", 0, 0));    // rev 2
        fresh.apply(new Op.Put("foo", "baz", 0, 0));    // rev 3
        fresh.apply(new Op.Delete("foo", "", false));   // rev 4
        fresh.apply(new Op.Put("zzz", "1", 0, 0));      // rev 5
        fresh.apply(new Op.Put("foo", "again", 0, 0));  // rev 6
        WatchCollector replay = new WatchCollector();
        watch(fresh, "foo", "", 2, replay);
        fresh.sm.syncWatchers(1000);
        assertEquals(List.of(
                new WatchCollector.Event(0, false, new Response.Kv("foo", "bar", 2, 2, 1, 0), null),
                new WatchCollector.Event(0, false, new Response.Kv("foo", "baz", 2, 3, 2, 0), null),
                new WatchCollector.Event(0, true, new Response.Kv("foo", "", 0, 4, 0, 0), null),
                new WatchCollector.Event(0, false, new Response.Kv("foo", "again", 6, 6, 1, 0), null)),
                replay.events);

        // etcdctl compact 5 -> "compacted revision 5"; etcdctl get --rev=4 foo fails
        Response compact = fresh.apply(new Op.Compact(5));
        assertEquals(MvccError.OK, compact.error());
        Response old = fresh.range(Op.Range.of("foo", "").at(4));
        assertEquals(MvccError.COMPACTED, old.error());
        assertEquals("etcdserver: mvcc: required revision has been compacted", old.error().message());
        assertEquals(11, old.error().grpcCode()); // OutOfRange
        assertEquals("again", fresh.range(Op.Range.of("foo", "").at(6)).kvs().get(0).value());
        assertEquals(MvccError.FUTURE_REVISION, fresh.range(Op.Range.of("foo", "").at(7)).error());

        // a watch from a compacted revision is canceled with compact_revision
        WatchCollector late = new WatchCollector();
        long id = watch(fresh, "foo", "", 3, late);
        fresh.sm.syncWatchers(1000);
        assertEquals(1, late.canceled.size());
        assertEquals(id, late.canceled.get(0)[0]);
        assertEquals(5, late.canceled.get(0)[1]);
        assertTrue(late.events.isEmpty());
    }

    @Test
    void txnRevisionsAndInnerHeadersMatchEtcd() {
        // Mirrors the etcd 3.4 gateway answer recorded in docs/mvcc.md.
        store.apply(new Op.Put("a", "1", 0, 0));
        Response txn = store.apply(new Op.Txn(
                List.of(new Op.Cmp(1, 0, "a", "", 0, "")),
                List.of(new Op.Put("b", "2", 0, 0), Op.Range.of("b", ""), new Op.Delete("zz", "", false),
                        new Op.Txn(List.of(), List.of(Op.Range.of("a", "")), List.of())),
                List.of()));
        assertEquals(3, txn.revision());
        assertEquals(1, txn.flags());
        assertEquals(3, txn.responses().get(0).revision());
        assertEquals(3, txn.responses().get(1).revision());
        assertEquals(List.of(new Response.Kv("b", "2", 3, 3, 1, 0)), txn.responses().get(1).kvs());
        assertEquals(3, txn.responses().get(2).revision());
        assertEquals(0, txn.responses().get(3).revision());
        assertEquals(RequestType.RANGE, txn.responses().get(3).responses().get(0).type());

        Response readOnly = store.apply(new Op.Txn(List.of(),
                List.of(Op.Range.of("b", ""), new Op.Delete("zz", "", false)), List.of()));
        assertEquals(3, readOnly.revision());
        assertEquals(3, readOnly.responses().get(1).revision());

        Response future = store.apply(new Op.Txn(List.of(),
                List.of(new Op.Put("q", "2", 0, 0), Op.Range.of("q", "").at(4)), List.of()));
        assertEquals(MvccError.FUTURE_REVISION, future.error());
        assertEquals(3, store.sm.revision());
    }

    @Test
    void sortedLimitedRangeReportsMoreAndFullCount() {
        for (String k : new String[]{"k1", "k2", "k3", "k4"}) {
            store.apply(new Op.Put(k, "v", 0, 0));
        }
        store.apply(new Op.Put("k2", "v", 0, 0));
        Response r = store.range(new Op.Range("k", "l", 2, 0, RangeRequest.SORT_DESCEND, RangeRequest.TARGET_VERSION,
                0, 0, 0, 0, 0));
        assertEquals(4, r.count());
        assertEquals(1, r.flags()); // more
        assertEquals("k2", r.kvs().get(0).key());
        assertEquals("k1", r.kvs().get(1).key()); // ties keep key order, as etcd's insertion sort does
    }

    @Test
    void prevKvOnWatchesAndFilters() {
        WatchCollector sink = new WatchCollector();
        byte[] key = Op.b("k");
        store.sm.watch(-1, new UnsafeBuffer(key), 0, 1, 0, 0, 0, WatchRegistry.PREV_KV | WatchRegistry.NO_DELETE, sink);
        store.apply(new Op.Put("k", "1", 0, 0));
        store.apply(new Op.Put("k", "2", 0, 0));
        store.apply(new Op.Delete("k", "", false));
        assertEquals(2, sink.events.size());
        assertEquals(null, sink.events.get(0).prev());
        assertEquals(new Response.Kv("k", "1", 2, 2, 1, 0), sink.events.get(1).prev());
    }

    @Test
    void replayWithPrevKvAfterACompactionMatchesEtcd() {
        // etcdctl put w 1; put w 2; del w; put w 3; compact 3; watch --rev=3 --prev-kv w -w json (etcd 3.4.23):
        // one response, header revision 5: PUT w=2 (no prev: revision 2 is compacted), DELETE w at 4 with
        // prev w=2, PUT w=3 (no prev: w did not exist at 4).
        store.apply(new Op.Put("w", "1", 0, 0));
        store.apply(new Op.Put("w", "2", 0, 0));
        store.apply(new Op.Delete("w", "", false));
        store.apply(new Op.Put("w", "3", 0, 0));
        store.apply(new Op.Compact(3));
        WatchCollector sink = new WatchCollector();
        store.sm.watch(-1, new UnsafeBuffer(Op.b("w")), 0, 1, 0, 0, 3, WatchRegistry.PREV_KV, sink);
        store.sm.syncWatchers(100);
        assertEquals(1, sink.responses);
        Response.Kv two = new Response.Kv("w", "2", 2, 3, 2, 0);
        assertEquals(List.of(
                new WatchCollector.Event(0, false, two, null),
                new WatchCollector.Event(0, true, new Response.Kv("w", "", 0, 4, 0, 0), two),
                new WatchCollector.Event(0, false, new Response.Kv("w", "3", 5, 5, 1, 0), null)), sink.events);
        // etcdctl watch --rev=2 w: "watch was canceled (etcdserver: mvcc: required revision has been compacted)"
        WatchCollector late = new WatchCollector();
        store.sm.watch(-1, new UnsafeBuffer(Op.b("w")), 0, 1, 0, 0, 2, 0, late);
        store.sm.syncWatchers(100);
        assertEquals(3, late.canceled.get(0)[1]);
    }
}
