package dev.keel.node.watch;

import dev.keel.node.KeelCluster;
import dev.keel.node.WatchSettings;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * etcd 3.4's Watch stream on a Keel member, driven request by request: many watches per stream with the
 * stream's own IDs, history replay, filters, prev_kv, refusals, cancels, progress and fragments (what etcd 3.4.23
 * answers to the same requests is compared in {@code compat/WatchCompatTest}); and jetcd 0.8.5's watch client
 * on the same member.
 */
class WatchServiceTest {
    private static KeelCluster cluster;
    private static Client client;
    private static KV kv;
    private static String endpoint;

    @BeforeAll
    static void start() {
        cluster = KeelCluster.builder().members(1).watch(new WatchSettings(4 << 20, 300)).start();
        endpoint = cluster.member(0).clientEndpoints().get(0);
        client = Client.builder().endpoints("http://" + endpoint).build();
        kv = client.getKVClient();
        dev.keel.node.Awaits.until("the member leads and takes writes", 60_000, () -> {
            try {
                kv.put(bs("ready"), bs("1")).get();
                return true;
            } catch (Exception noLeaderYet) {
                return false;
            }
        });
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static long put(String key, String value) {
        try {
            return kv.put(bs(key), bs(value)).get().getHeader().getRevision();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static long delete(String key) {
        try {
            return kv.delete(bs(key)).get().getHeader().getRevision();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String events(WatchResponse r) {
        List<String> out = new ArrayList<>();
        for (Event e : r.getEventsList()) {
            out.add(e.getType() + " " + e.getKv().getKey().toStringUtf8() + "=" + e.getKv().getValue().toStringUtf8()
                    + "@" + e.getKv().getModRevision()
                    + (e.hasPrevKv() ? " prev=" + e.getPrevKv().getValue().toStringUtf8() : ""));
        }
        return r.getWatchId() + ": " + String.join(", ", out);
    }

    private static void assertCreated(WatchResponse r, long id) {
        assertTrue(r.getCreated(), r.toString());
        assertFalse(r.getCanceled(), r.toString());
        assertEquals(id, r.getWatchId());
        assertEquals(cluster.member(0).clusterId(), r.getHeader().getClusterId());
        assertEquals(cluster.member(0).memberId(), r.getHeader().getMemberId());
        assertTrue(r.getHeader().getRaftTerm() > 0 && r.getHeader().getRevision() > 0, r.toString());
    }

    @Test
    void oneStreamCarriesManyWatchesEachWithTheStreamsOwnId() {
        try (RawWatchStream s = new RawWatchStream(endpoint, false)) {
            s.send(RawWatchStream.create("m/a", "", 0, false));
            assertCreated(s.next(), 0);
            s.send(RawWatchStream.create("m/p/", "m/p0", 0, false));
            assertCreated(s.next(), 1);
            s.send(RawWatchStream.create("m/x", "\0", 7, false)); // client-chosen ID, every key from m/x on
            assertCreated(s.next(), 7);
            s.send(RawWatchStream.create("m/a", "", 0, false));
            assertCreated(s.next(), 2);
            long a = put("m/a", "1");
            assertEquals("0: PUT m/a=1@" + a, events(s.next()));
            assertEquals("2: PUT m/a=1@" + a, events(s.next()));
            long p = put("m/p/1", "2");
            assertEquals("1: PUT m/p/1=2@" + p, events(s.next()));
            long x = put("m/z", "3");
            WatchResponse last = s.next();
            assertEquals("7: PUT m/z=3@" + x, events(last));
            assertEquals(x, last.getHeader().getRevision());
            assertEquals(cluster.member(0).memberId(), last.getHeader().getMemberId());
            s.cancel(7);
            WatchResponse canceled = s.next();
            assertTrue(canceled.getCanceled() && !canceled.getCreated() && canceled.getWatchId() == 7, canceled.toString());
            long y = put("m/zz", "4");
            long a2 = put("m/a", "5");
            // the canceled watch gets nothing: the next event is m/a's
            assertEquals("0: PUT m/a=5@" + a2, events(s.next()));
            assertTrue(y < a2);
        }
    }

    @Test
    void refusalsAnswerAsEtcdAndTheStreamGoesOn() {
        try (RawWatchStream s = new RawWatchStream(endpoint, false)) {
            s.send(RawWatchStream.create("r/b", "r/a", 0, false));
            WatchResponse empty = s.next();
            assertTrue(empty.getCreated() && empty.getCanceled(), empty.toString());
            assertEquals(-1, empty.getWatchId());
            assertEquals("mvcc: watcher range is empty", empty.getCancelReason());
            s.send(RawWatchStream.create("r/a", "", 5, false));
            assertCreated(s.next(), 5);
            s.send(RawWatchStream.create("r/c", "", 5, false));
            WatchResponse dup = s.next();
            assertTrue(dup.getCreated() && dup.getCanceled() && dup.getWatchId() == -1, dup.toString());
            assertEquals("mvcc: duplicate watch ID provided on the WatchStream", dup.getCancelReason());
            s.cancel(42); // unknown: etcd answers nothing, so the next answer is the progress response
            s.progress();
            WatchResponse progress = s.next();
            assertEquals(-1, progress.getWatchId());
            assertFalse(progress.getCreated() || progress.getCanceled());
            long a = put("r/a", "ok");
            assertEquals("5: PUT r/a=ok@" + a, events(s.next()));
        }
    }

    @Test
    void historyFiltersAndPrevKv() {
        long first = put("h/k", "v1");
        put("h/k", "v2");
        long del = delete("h/k");
        try (RawWatchStream s = new RawWatchStream(endpoint, false)) {
            s.send(RawWatchStream.create("h/", "h0", 0, false).setStartRevision(first).setPrevKv(true));
            assertCreated(s.next(), 0);
            assertEquals("0: PUT h/k=v1@" + first + ", PUT h/k=v2@" + (first + 1) + " prev=v1, DELETE h/k=@" + del
                    + " prev=v2", events(s.next()));
            s.send(RawWatchStream.create("h/k", "", 0, false).setStartRevision(first)
                    .addFilters(WatchCreateRequest.FilterType.NOPUT));
            assertCreated(s.next(), 1);
            assertEquals("1: DELETE h/k=@" + del, events(s.next()));
            s.send(RawWatchStream.create("h/k", "", 0, false).setStartRevision(first)
                    .addFilters(WatchCreateRequest.FilterType.NODELETE));
            assertCreated(s.next(), 2);
            assertEquals("2: PUT h/k=v1@" + first + ", PUT h/k=v2@" + (first + 1), events(s.next()));
        }
    }

    @Test
    void aFutureStartRevisionWaitsForIt() {
        try (RawWatchStream s = new RawWatchStream(endpoint, false)) {
            long now = put("f/k", "0");
            s.send(RawWatchStream.create("f/k", "", 0, false).setStartRevision(now + 2));
            assertCreated(s.next(), 0);
            put("f/k", "1");
            long wanted = put("f/k", "2");
            assertEquals("0: PUT f/k=2@" + wanted, events(s.next()));
        }
    }

    @Test
    void aCompactedStartRevisionIsCanceledWithTheCompactRevision() throws Exception {
        long old = put("c/k", "1");
        long rev = put("c/k", "2");
        kv.compact(rev).get();
        try (RawWatchStream s = new RawWatchStream(endpoint, false)) {
            s.send(RawWatchStream.create("c/k", "", 0, false).setStartRevision(old));
            assertCreated(s.next(), 0);
            WatchResponse compacted = s.next();
            assertTrue(compacted.getCanceled(), compacted.toString());
            assertEquals(0, compacted.getWatchId());
            assertTrue(compacted.getCompactRevision() >= rev, compacted.toString());
            // etcd keeps the ID on the stream until the client cancels it
            s.cancel(0);
            WatchResponse canceled = s.next();
            assertTrue(canceled.getCanceled() && canceled.getWatchId() == 0 && canceled.getCompactRevision() == 0);
        }
    }

    @Test
    void progressRequestAndProgressNotify() {
        try (RawWatchStream s = new RawWatchStream(endpoint, false)) {
            s.send(RawWatchStream.create("pn/k", "", 0, false).setProgressNotify(true));
            assertCreated(s.next(), 0);
            long rev = put("other", "x");
            WatchResponse notified = s.next(); // the member's interval is 300 ms here (etcd: 10 minutes)
            while (notified.getHeader().getRevision() < rev) {
                assertEquals(0, notified.getWatchId());
                notified = s.next(); // one sent before the put
            }
            assertEquals(0, notified.getWatchId());
            assertEquals(0, notified.getEventsCount());
            s.progress();
            WatchResponse progress = s.next();
            while (progress.getWatchId() == 0) {
                progress = s.next(); // another periodic notification came first
            }
            assertEquals(-1, progress.getWatchId());
            assertTrue(progress.getHeader().getRevision() >= rev);
        }
    }

    @Test
    void aLargeCatchUpIsFragmentedForAWatchThatAskedAndWholeOtherwise() {
        String big = "v".repeat(600 * 1024); // four make 2.4 MB, over etcd's 2 MiB split limit
        long from = put("frag/1", big);
        put("frag/2", big);
        put("frag/3", big);
        long to = put("frag/4", big);
        try (RawWatchStream s = new RawWatchStream(endpoint, false)) {
            s.send(RawWatchStream.create("frag/", "frag0", 0, true).setStartRevision(from));
            assertCreated(s.next(), 0);
            List<Long> revisions = new ArrayList<>();
            List<Boolean> fragmentFlags = new ArrayList<>();
            while (revisions.size() < 4) {
                WatchResponse r = s.next();
                UnknownFlag flag = UnknownFlag.of(r);
                fragmentFlags.add(flag.set);
                assertTrue(r.getSerializedSize() < 1572864 + 512 * 1024 || r.getEventsCount() == 1, "under the limit");
                r.getEventsList().forEach(e -> revisions.add(e.getKv().getModRevision()));
            }
            assertEquals(List.of(from, from + 1, from + 2, to), revisions);
            assertTrue(fragmentFlags.size() > 1, "split into several responses: " + fragmentFlags);
            assertFalse(fragmentFlags.get(fragmentFlags.size() - 1), "the last one is not a fragment");
            assertTrue(fragmentFlags.subList(0, fragmentFlags.size() - 1).stream().allMatch(f -> f), fragmentFlags.toString());

            s.send(RawWatchStream.create("frag/", "frag0", 0, false).setStartRevision(from));
            assertCreated(s.next(), 1);
            WatchResponse whole = s.next();
            assertEquals(4, whole.getEventsCount());
            assertFalse(UnknownFlag.of(whole).set);
        }
    }

    /** etcd 3.4's WatchResponse.fragment (7), which jetcd-grpc's proto lacks. */
    record UnknownFlag(boolean set) {
        static UnknownFlag of(WatchResponse r) {
            var f = r.getUnknownFields().getField(7);
            return new UnknownFlag(f != null && !f.getVarintList().isEmpty() && f.getVarintList().get(0) == 1);
        }
    }

    @Test
    void aMalformedRequestEndsOnlyItsStream() {
        Status status = RawBytesWatch.sendGarbage(endpoint);
        assertEquals(Status.Code.INTERNAL, status.getCode(), status.toString());
        assertEquals("grpc: failed to unmarshal the received message unexpected EOF", status.getDescription());
        try (RawWatchStream s = new RawWatchStream(endpoint, false)) {
            s.send(RawWatchStream.create("after/garbage", "", 0, false));
            assertCreated(s.next(), 0);
        }
    }

    @Test
    void aClientThatClosesItsSideKeepsItsWatchesUntilItCancelsTheCall() {
        long open;
        try (RawWatchStream s = new RawWatchStream(endpoint, false)) {
            s.send(RawWatchStream.create("end/k", "", 0, false));
            assertCreated(s.next(), 0);
            open = cluster.member(0).watchStats().streams();
            s.finish(); // etcd keeps serving the stream's watches after the client's half-close
            long rev = put("end/k", "still");
            assertEquals("0: PUT end/k=still@" + rev, events(s.next()));
        }
        // every test cancels its watches or calls: once this call is canceled, its stream is gone and no watcher left
        dev.keel.node.Awaits.until("the canceled call's stream and watcher left", 20_000,
                () -> cluster.member(0).watchStats().streams() < open && cluster.member(0).watchStats().watchers() == 0);
    }

    /** A jetcd watch's events as text, and the error it ended with. */
    private static final class Seen {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Throwable> error = new CompletableFuture<>();
        final Watch.Watcher watcher;

        Seen(String key, WatchOption option) {
            watcher = client.getWatchClient().watch(bs(key), option, Watch.listener(r -> {
                for (WatchEvent e : r.getEvents()) {
                    events.add(e.getEventType() + " " + e.getKeyValue().getKey() + "=" + e.getKeyValue().getValue()
                            + "@" + e.getKeyValue().getModRevision()
                            + (e.getPrevKV() != null && e.getPrevKV().getModRevision() != 0
                            ? " prev=" + e.getPrevKV().getValue() : ""));
                }
            }, error::complete));
        }

        List<String> await(int n) {
            dev.keel.node.Awaits.until(n + " events", 20_000, () -> events.size() >= n);
            synchronized (events) {
                return List.copyOf(events);
            }
        }
    }

    @Test
    void jetcdWatchesKeysPrefixesHistoryAndFilters() {
        long first = put("j/a", "1");
        put("j/b", "2");
        long del = delete("j/a");
        Seen key = new Seen("j/a", WatchOption.builder().withRevision(first).build());
        Seen prefix = new Seen("j/", WatchOption.builder().isPrefix(true).withRevision(first).withPrevKV(true).build());
        Seen noPut = new Seen("j/", WatchOption.builder().isPrefix(true).withRevision(first).withNoPut(true).build());
        Seen noDelete = new Seen("j/", WatchOption.builder().isPrefix(true).withRevision(first).withNoDelete(true)
                .build());
        Seen live = new Seen("j/c", WatchOption.builder().build());
        assertEquals(List.of("PUT j/a=1@" + first, "DELETE j/a=@" + del), key.await(2));
        assertEquals(List.of("PUT j/a=1@" + first, "PUT j/b=2@" + (first + 1), "DELETE j/a=@" + del + " prev=1"),
                prefix.await(3));
        assertEquals(List.of("DELETE j/a=@" + del), noPut.await(1));
        assertEquals(List.of("PUT j/a=1@" + first, "PUT j/b=2@" + (first + 1)), noDelete.await(2));
        dev.keel.node.Awaits.until("the live watch is registered", 20_000,
                () -> cluster.member(0).watchStats().watchers() >= 5);
        long c = put("j/c", "3");
        assertEquals(List.of("PUT j/c=3@" + c), live.await(1));
        for (Seen s : List.of(key, prefix, noPut, noDelete, live)) {
            s.watcher.close();
        }
    }

    @Test
    void jetcdReportsACompactedStartRevision() throws Exception {
        long old = put("jc/k", "1");
        long rev = put("jc/k", "2");
        kv.compact(rev).get();
        Seen compacted = new Seen("jc/k", WatchOption.builder().withRevision(old).build());
        Throwable error = compacted.error.get(20, TimeUnit.SECONDS);
        assertTrue(error instanceof CompactedException, String.valueOf(error));
        assertEquals(rev, ((CompactedException) error).getCompactedRevision());
        compacted.watcher.close();
    }
}
