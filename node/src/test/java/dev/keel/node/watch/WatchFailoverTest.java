package dev.keel.node.watch;

import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.api.WatchResponse;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 100 jetcd 0.8.5 watchers on 10 prefixes, from four clients connected to a 3-member cluster, while writes go on,
 * the history is compacted, the member serving the most watch streams is stopped (jetcd reconnects to another and
 * resumes from its last revision) and later the leader is stopped. At the end every watcher's events must be
 * exactly the committed events of its prefix: no gap, no duplicate, in revision order.
 *
 * <p>Where the committed sequence comes from: writes before the compaction happen with every member up, so each
 * was acknowledged exactly once and the acks are the truth up to the compaction revision R (the test checks no
 * write of that phase failed; R is the earliest revision a watcher will resume from, see below). After R, a put that timed out during a kill may or may not have been committed, or
 * committed twice (tried again on another member), so acks are no truth there; instead, after the run, a fresh
 * watch on a surviving member replays the history from R + 1 (kept: only revisions up to R were compacted), and
 * that replay is the committed sequence after R — the same history every member applied.
 */
class WatchFailoverTest {
    private static final int PREFIXES = 10;
    private static final int WATCHERS = 100;
    private static final int CLIENTS = 4;
    private static final int WRITES_PER_PHASE = 40;

    @Test
    void watchersResumeAcrossKillsAndCompactionWithExactlyTheCommittedEvents() throws Exception {
        try (KeelCluster cluster = KeelCluster.builder().members(3).start();
             FailoverWrites writes = new FailoverWrites(endpoints(cluster))) {
            List<Client> clients = new ArrayList<>();
            List<Seen> watchers = new ArrayList<>();
            try {
                long start = awaitPut(writes, "churn-start");
                for (int c = 0; c < CLIENTS; c++) {
                    clients.add(Client.builder().endpoints(cluster.endpointUris().toArray(java.net.URI[]::new)).build());
                }
                for (int w = 0; w < WATCHERS; w++) {
                    watchers.add(new Seen(clients.get(w % CLIENTS), prefix(w % PREFIXES), start + 1));
                }
                Awaits.until("every watcher is registered", 60_000, () -> watcherCount(cluster) >= WATCHERS);

                Map<String, List<String>> acked = new TreeMap<>();
                Map<String, Long> lastOfPrefix = new TreeMap<>();
                for (int i = 0; i < WRITES_PER_PHASE; i++) {
                    String key = prefix(i % PREFIXES) + i;
                    long rev = writes.put(key, "v" + i);
                    assertTrue(rev > 0, "with every member up, put " + key + " is acknowledged");
                    acked.computeIfAbsent(prefix(i % PREFIXES), p -> new ArrayList<>()).add(key + "@" + rev);
                    lastOfPrefix.put(prefix(i % PREFIXES), rev);
                }
                for (Seen s : watchers) {
                    int expected = acked.get(s.prefix).size();
                    Awaits.until("a watcher of " + s.prefix + " saw the first phase", 60_000,
                            () -> s.events.size() >= expected);
                }
                // jetcd resumes a watcher from its last event's revision + 1, so compact no further than the
                // earliest of those: a resume must not fall below the compaction (it would with etcd too).
                long compactAt = Collections.min(lastOfPrefix.values());
                clients.get(0).getKVClient().compact(compactAt).get();

                List<String> timeline = new CopyOnWriteArrayList<>();
                int serving = memberServingMostStreams(cluster);
                timeline.add(now() + "stop " + serving);
                stopAndCheckItsStreamsEndUnavailable(cluster, serving);
                timeline.add(now() + "phase 1 " + streamsAndWatchers(cluster));
                writePhase(writes, 1);
                timeline.add(now() + "phase 1 written " + streamsAndWatchers(cluster));
                cluster.startMember(serving);
                int leader = awaitLeader(cluster, writes);
                // Every watcher back and caught up before the next fault: jetcd 0.8.5 takes a new stream's
                // "created" header revision (the current one, as etcd sends it) as its resume point, so a stream
                // broken between "created" and its history replay would skip that history — with etcd too.
                Awaits.until("every watcher resumed and caught up", 60_000, () -> watcherCount(cluster) >= WATCHERS
                        && slowWatchers(cluster) == 0 && bufferedBytes(cluster) == 0);
                timeline.add(now() + "restarted; stop leader " + leader + " " + streamsAndWatchers(cluster));
                cluster.stopMember(leader);
                writePhase(writes, 2);
                timeline.add(now() + "phase 2 written " + streamsAndWatchers(cluster));
                long end = awaitPut(writes, "churn-end");

                int survivor = leader == 0 ? 1 : 0;
                Map<String, List<String>> after = committedAfter(cluster.member(survivor).clientEndpoints().get(0),
                        compactAt + 1, end);
                for (Seen s : watchers) {
                    List<String> expected = new ArrayList<>(upTo(acked.get(s.prefix), compactAt));
                    expected.addAll(after.getOrDefault(s.prefix, List.of()));
                    Awaits.until("a watcher of " + s.prefix + " got " + expected.size() + " events (has "
                            + s.events + ", expected " + expected + ", errors " + s.errors + "; timeline " + timeline + "; streams/watchers per "
                            + "member " + streamsAndWatchers(cluster) + ")", 60_000,
                            () -> s.events.size() >= expected.size());
                    assertEquals(expected, List.copyOf(s.events), "watcher of " + s.prefix + " (error: " + s.error + ")");
                }
                assertTrue(after.values().stream().mapToInt(List::size).sum() > 0, "writes happened after the kills");
                assertTrue(watchers.stream().anyMatch(s -> s.error != null),
                        "some watchers lost their stream with a stopped member and resumed on another");
                cluster.stopMember(3 - leader - survivor); // the other member still running
                assertALoneMemberEndsStreamsThatRequireALeader(cluster.member(survivor).clientEndpoints().get(0));
            } finally {
                watchers.forEach(s -> s.watcher.close());
                clients.forEach(Client::close);
            }
        }
    }

    /** Stops member {@code i}; a stream on it ends UNAVAILABLE, as etcd's clients see it, which they retry elsewhere. */
    private static void stopAndCheckItsStreamsEndUnavailable(KeelCluster cluster, int i) {
        try (RawWatchStream raw = new RawWatchStream(cluster.member(i).clientEndpoints().get(0), false)) {
            raw.send(RawWatchStream.create("churn/", "churn0", 0, false));
            assertTrue(raw.next().getCreated());
            cluster.stopMember(i);
            Object ended = raw.nextEnd();
            assertEquals(io.grpc.Status.Code.UNAVAILABLE, io.grpc.Status.fromThrowable((Throwable) ended).getCode(),
                    String.valueOf(ended));
        }
    }

    /**
     * A member left alone has no leader: as etcd, a stream that requires one (the "hasleader" metadata etcdctl's
     * watch sends) ends "etcdserver: no leader", refused at once or after three checks without a leader.
     */
    private static void assertALoneMemberEndsStreamsThatRequireALeader(String endpoint) {
        try (RawWatchStream lonely = new RawWatchStream(endpoint, false, true)) {
            lonely.send(RawWatchStream.create("churn/", "churn0", 0, false));
            Object o = lonely.nextEnd();
            while (o instanceof WatchResponse) {
                o = lonely.nextEnd(); // created before the member noticed it lost the leader
            }
            io.grpc.Status ended = io.grpc.Status.fromThrowable((Throwable) o);
            assertEquals(io.grpc.Status.Code.UNAVAILABLE, ended.getCode(), ended.toString());
            assertEquals("etcdserver: no leader", ended.getDescription());
        }
    }

    /** @return the events of {@code events} (key@revision) at or below {@code revision} */
    private static List<String> upTo(List<String> events, long revision) {
        return events.stream().filter(e -> Long.parseLong(e.substring(e.indexOf('@') + 1)) <= revision).toList();
    }

    private static String prefix(int p) {
        return "churn/p" + p + "/";
    }

    private static List<String> endpoints(KeelCluster cluster) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            out.add(cluster.member(i).clientEndpoints().get(0));
        }
        return out;
    }

    private static long awaitPut(FailoverWrites writes, String key) {
        long[] rev = {-1};
        Awaits.until("a put of " + key + " is acknowledged", 60_000, () -> (rev[0] = writes.put(key, "x")) > 0);
        return rev[0];
    }

    private static void writePhase(FailoverWrites writes, int phase) {
        for (int i = 0; i < WRITES_PER_PHASE; i++) {
            int n = phase * WRITES_PER_PHASE + i;
            writes.put(prefix(n % PREFIXES) + n, "v" + n); // may fail or commit twice: see the class comment
        }
    }

    private static long slowWatchers(KeelCluster cluster) {
        long n = 0;
        for (int i = 0; i < cluster.size(); i++) {
            n += cluster.member(i) == null ? 0 : cluster.member(i).watchStats().slowWatchers();
        }
        return n;
    }

    private static long bufferedBytes(KeelCluster cluster) {
        long n = 0;
        for (int i = 0; i < cluster.size(); i++) {
            n += cluster.member(i) == null ? 0 : cluster.member(i).watchStats().bufferedBytes();
        }
        return n;
    }

    private static long watcherCount(KeelCluster cluster) {
        long n = 0;
        for (int i = 0; i < cluster.size(); i++) {
            n += cluster.member(i) == null ? 0 : cluster.member(i).watchStats().watchers();
        }
        return n;
    }

    private static String now() {
        return System.nanoTime() / 1_000_000 % 1_000_000 + "ms ";
    }

    /** @return each running member's Watch streams and watchers, for a failure message */
    private static String streamsAndWatchers(KeelCluster cluster) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cluster.size(); i++) {
            var m = cluster.member(i);
            out.append(i).append('=').append(m == null ? "stopped"
                    : m.watchStats().streams() + "/" + m.watchStats().watchers()).append(' ');
        }
        return out.toString().trim();
    }

    private static int memberServingMostStreams(KeelCluster cluster) {
        int best = 0;
        for (int i = 1; i < cluster.size(); i++) {
            if (cluster.member(i).watchStats().streams() > cluster.member(best).watchStats().streams()) {
                best = i;
            }
        }
        assertTrue(cluster.member(best).watchStats().streams() > 0, "some member serves the watch streams");
        return best;
    }

    private static int awaitLeader(KeelCluster cluster, FailoverWrites writes) {
        int[] leader = {-1};
        Awaits.until("the members agree on a leader", 60_000, () -> {
            long id = writes.leaderSeenBy(0);
            for (int i = 0; i < cluster.size(); i++) {
                if (id != 0 && cluster.member(i).memberId() == id) {
                    leader[0] = i;
                }
            }
            return leader[0] >= 0;
        });
        return leader[0];
    }

    /** The committed events of every prefix from {@code from} to {@code end}, replayed from a member's history. */
    private static Map<String, List<String>> committedAfter(String endpoint, long from, long end) {
        Map<String, List<String>> out = new TreeMap<>();
        try (RawWatchStream s = new RawWatchStream(endpoint, false)) {
            s.send(RawWatchStream.create("churn/", "churn0", 0, false).setStartRevision(from));
            assertTrue(s.next().getCreated());
            long last = 0;
            while (last < end - 1) {
                WatchResponse r = s.next();
                assertTrue(!r.getCanceled(), r.toString());
                for (io.etcd.jetcd.api.Event e : r.getEventsList()) {
                    String key = e.getKv().getKey().toStringUtf8();
                    out.computeIfAbsent(key.substring(0, key.indexOf('/', "churn/".length()) + 1),
                            p -> new ArrayList<>()).add(key + "@" + e.getKv().getModRevision());
                }
                last = r.getHeader().getRevision();
            }
        }
        return out;
    }

    /** One jetcd watcher's events as key@modRevision. */
    private static final class Seen {
        final String prefix;
        final List<String> events = Collections.synchronizedList(new CopyOnWriteArrayList<>());
        final Watch.Watcher watcher;
        /** The last error jetcd reported; jetcd reports every stream failure and resumes unless it is final. */
        volatile Throwable error;
        /** Every error jetcd reported, with a millisecond clock, for a failure message. */
        final List<String> errors = new CopyOnWriteArrayList<>();

        Seen(Client client, String prefix, long from) {
            this.prefix = prefix;
            ByteSequence key = ByteSequence.from(prefix, StandardCharsets.UTF_8);
            watcher = client.getWatchClient().watch(key,
                    WatchOption.builder().isPrefix(true).withRevision(from).build(),
                    Watch.listener(r -> {
                        for (WatchEvent e : r.getEvents()) {
                            events.add(e.getKeyValue().getKey() + "@" + e.getKeyValue().getModRevision());
                        }
                    }, t -> {
                        error = t;
                        errors.add(System.nanoTime() / 1_000_000 % 1_000_000 + "ms " + t.getMessage());
                    }));
        }
    }
}
