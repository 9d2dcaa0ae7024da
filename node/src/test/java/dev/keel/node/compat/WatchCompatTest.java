package dev.keel.node.compat;

import dev.keel.node.watch.RawBytesWatch;
import dev.keel.node.watch.RawWatchStream;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Watch stream answers on Keel as on etcd 3.4: a raw session (many watches on one stream, client-chosen and
 * duplicate IDs, an empty range, a cancel of an unknown ID, a progress request, history with prev_kv and filters,
 * a future and a compacted start revision, a large catch-up with and without fragments, a malformed request) and etcdctl's {@code watch} command in its forms
 * ({@link EtcdctlWatch}), each run on a 1-member cluster of both; the transcripts must be equal after masking IDs
 * and ports. Transcripts go to {@code target/compat/}.
 */
class WatchCompatTest {
    private static ComparedClusters clusters;

    @BeforeAll
    static void startClusters() {
        EtcdTools.requireEtcd();
        clusters = ComparedClusters.start(1, UnaryOperator.identity(), List.of());
    }

    @AfterAll
    static void stopClusters() {
        if (clusters != null) {
            clusters.close();
        }
    }

    @Test
    void aRawWatchSessionAnswersTheSame() throws IOException {
        String etcd = rawSession(clusters.etcdFacts);
        String keel = rawSession(clusters.keelFacts);
        write("watch-raw-etcd.txt", etcd);
        write("watch-raw-keel.txt", keel);
        assertEquals(etcd, keel, "raw watch transcripts differ (both in target/compat)");
    }

    @Test
    void etcdctlWatchPrintsTheSame() throws IOException {
        String etcd = new EtcdctlWatch(clusters.etcdFacts, clusters.etcdBaseIndex, true, null).run();
        String keel = new EtcdctlWatch(clusters.keelFacts, clusters.keelBaseIndex, false,
                () -> clusters.keel.member(0).watchStats().watchers()).run();
        write("watch-etcdctl-etcd.txt", etcd);
        write("watch-etcdctl-keel.txt", keel);
        assertEquals(etcd, keel, "etcdctl watch transcripts differ (both in target/compat)");
    }

    private static void write(String name, String text) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "compat"));
        Files.writeString(dir.resolve(name), text);
    }

    /** Runs the session on one cluster; revisions are shown relative to the cluster's revision at the start. */
    private static String rawSession(ClusterFacts facts) {
        String endpoint = facts.endpoint("m1");
        Writes w = new Writes(endpoint);
        StringBuilder out = new StringBuilder();
        long base = w.put("raw/base", "0");
        Render r = new Render(out, base, facts);
        try (RawWatchStream s = new RawWatchStream(endpoint, false)) {
            r.step("create raw/a (auto ID)");
            s.send(RawWatchStream.create("raw/a", "", 0, false));
            r.responses(s, 1);
            r.step("create prefix raw/p/ (auto ID)");
            s.send(RawWatchStream.create("raw/p/", "raw/p0", 0, false));
            r.responses(s, 1);
            r.step("create from key raw/x with watch_id 7");
            s.send(RawWatchStream.create("raw/x", "\0", 7, false));
            r.responses(s, 1);
            r.step("create raw/y with watch_id 7 again");
            s.send(RawWatchStream.create("raw/y", "", 7, false));
            r.responses(s, 1);
            r.step("create range raw/b..raw/a");
            s.send(RawWatchStream.create("raw/b", "raw/a", 0, false));
            r.responses(s, 1);
            r.step("create empty key");
            s.send(RawWatchStream.create("", "", 0, false));
            r.responses(s, 1);
            r.step("cancel 42 (unknown), then a progress request");
            s.cancel(42);
            s.progress();
            r.responses(s, 1);
            r.step("put raw/a, raw/p/1, raw/z");
            w.put("raw/a", "1");
            r.responses(s, 1);
            w.put("raw/p/1", "2");
            r.responses(s, 1);
            w.put("raw/z", "3");
            r.responses(s, 1);
            r.step("cancel 7");
            s.cancel(7);
            r.responses(s, 1);
            r.step("create prefix raw/ from the base revision with prev_kv");
            w.put("raw/a", "4");
            r.responses(s, 1);
            w.delete("raw/a");
            r.responses(s, 1);
            s.send(RawWatchStream.create("raw/", "raw0", 0, false).setStartRevision(base).setPrevKv(true));
            r.responses(s, 2);
            r.step("create raw/a from the base revision, NOPUT; another NODELETE");
            s.send(RawWatchStream.create("raw/a", "", 0, false).setStartRevision(base)
                    .addFilters(WatchCreateRequest.FilterType.NOPUT));
            r.responses(s, 2);
            s.send(RawWatchStream.create("raw/a", "", 0, false).setStartRevision(base)
                    .addFilters(WatchCreateRequest.FilterType.NODELETE));
            r.responses(s, 2);
        }
        try (RawWatchStream s = new RawWatchStream(endpoint, false)) {
            r.step("new stream: create raw/f two revisions ahead, then two puts");
            long now = w.put("raw/f", "0");
            s.send(RawWatchStream.create("raw/f", "", 0, false).setStartRevision(now + 2));
            r.responses(s, 1);
            w.put("raw/f", "1");
            w.put("raw/f", "2");
            r.responses(s, 1);
            r.step("compact to the last revision; create raw/f from the base revision; cancel it");
            w.compact(now + 2);
            s.send(RawWatchStream.create("raw/f", "", 0, false).setStartRevision(base));
            r.responses(s, 2);
            s.cancel(1);
            r.responses(s, 1);
        }
        try (RawWatchStream s = new RawWatchStream(endpoint, false)) {
            r.step("four puts of 600 KiB; a watch from the first with fragment, one without");
            String big = "v".repeat(600 * 1024);
            long first = w.put("big/1", big);
            w.put("big/2", big);
            w.put("big/3", big);
            w.put("big/4", big);
            s.send(RawWatchStream.create("big/", "big0", 0, true).setStartRevision(first));
            r.responses(s, 3); // created, then 3 events and 1: 4 would pass --max-request-bytes + 512 KiB
            s.send(RawWatchStream.create("big/", "big0", 0, false).setStartRevision(first));
            r.responses(s, 2);
        }
        r.step("a malformed request");
        io.grpc.Status garbage = RawBytesWatch.sendGarbage(endpoint);
        out.append(garbage.getCode()).append(' ').append(garbage.getDescription()).append('\n');
        w.close();
        return out.toString();
    }

    /** Renders responses: IDs by member name, revisions relative to the session's first write. */
    private record Render(StringBuilder out, long base, ClusterFacts facts) {
        void step(String what) {
            out.append("# ").append(what).append('\n');
        }

        void responses(RawWatchStream s, int n) {
            List<WatchResponse> got = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                got.add(s.next());
            }
            got.sort(Comparator.comparingLong(WatchResponse::getWatchId)); // etcd's order across watchers is a map's
            for (WatchResponse resp : got) {
                out.append(render(resp)).append('\n');
            }
        }

        private String render(WatchResponse resp) {
            StringBuilder b = new StringBuilder("id=").append(resp.getWatchId());
            b.append(" rev=").append(relative(resp.getHeader().getRevision()));
            b.append(resp.getHeader().getClusterId() == facts.clusterId() ? "" : " WRONG-CLUSTER");
            b.append(resp.getHeader().getMemberId() == facts.id("m1") ? "" : " WRONG-MEMBER");
            b.append(" term=").append(resp.getHeader().getRaftTerm());
            b.append(resp.getCreated() ? " created" : "").append(resp.getCanceled() ? " canceled" : "");
            if (!resp.getCancelReason().isEmpty()) {
                b.append(" reason=\"").append(resp.getCancelReason()).append('"');
            }
            var fragment = resp.getUnknownFields().getField(7);
            if (fragment != null && fragment.getVarintList().contains(1L)) {
                b.append(" fragment");
            }
            if (resp.getCompactRevision() != 0) {
                b.append(" compact=").append(relative(resp.getCompactRevision()));
            }
            for (Event e : resp.getEventsList()) {
                String value = e.getKv().getValue().size() > 64 ? "<" + e.getKv().getValue().size() + " bytes>"
                        : e.getKv().getValue().toStringUtf8();
                b.append("\n  ").append(e.getType()).append(' ').append(e.getKv().getKey().toStringUtf8()).append('=')
                        .append(value).append(" mod=")
                        .append(relative(e.getKv().getModRevision())).append(" create=")
                        .append(relative(e.getKv().getCreateRevision())).append(" ver=").append(e.getKv().getVersion());
                if (e.hasPrevKv()) {
                    b.append(" prev=").append(e.getPrevKv().getValue().toStringUtf8()).append(" prevMod=")
                            .append(relative(e.getPrevKv().getModRevision()));
                }
            }
            return b.toString();
        }

        private String relative(long revision) {
            return revision == 0 ? "0" : "base" + (revision - base >= 0 ? "+" : "") + (revision - base);
        }
    }
}
