package dev.keel.node.compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.keel.node.compat.GatewaySession.Call.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * curl against the gateway paths of the Lease, Watch, Cluster, Maintenance, v3lock and v3election services
 * answers what it answers from etcd 3.4, with the bodies of etcd's gateway documentation: unary calls, streams
 * that end with the request body (keepalive, snapshot) and streams that do not (watch, observe), which a test
 * reads line by line while it writes through another curl. Lease IDs are chosen by the client so they agree;
 * what timing decides (remaining TTLs, hashes, snapshot bytes) is masked. Transcripts are in
 * {@code target/compat/}.
 */
class GatewayStreamCompatTest {
    /** A time-to-live answer's remaining TTL (before grantedTTL), within a minute lease's first seconds. */
    private static final Pattern REMAINING_TTL = Pattern.compile("\"TTL\":\"(5\\d|60)\",\"grantedTTL\"");
    private static final Pattern HASH = Pattern.compile("\"hash\":(\\d+)");
    private static final Pattern BLOB = Pattern.compile("\"blob\":\"[^\"]*\"");
    private static final Pattern ADDED_ID = Pattern.compile("\"member\":\\{\"ID\":\"(\\d+)\"");
    private static final Pattern MEMBERS = Pattern.compile("\"members\":\\[(.*)]}"); // the last field
    private static final Pattern MEMBER_ID = Pattern.compile("\"ID\":\"(\\d+)\"");
    private static final Pattern REMAINING_BYTES = Pattern.compile("\"remaining_bytes\":\"\\d+\"");
    private static ComparedClusters clusters;
    private static String keel;
    private static String etcd;

    @BeforeAll
    static void startClusters() {
        EtcdTools.requireEtcd();
        clusters = ComparedClusters.start(1, UnaryOperator.identity(), List.of());
        keel = "http://" + clusters.keel.member(0).clientEndpoints().get(0);
        etcd = "http://" + clusters.etcd.clientEndpoints().get(0);
    }

    @AfterAll
    static void stopClusters() {
        if (clusters != null) {
            clusters.close();
        }
    }

    /** A remaining TTL read within the lease's first seconds, a store hash, a snapshot's bytes. */
    private static String mask(String out) {
        String text = REMAINING_TTL.matcher(out).replaceAll("\"TTL\":\"<=60\",\"grantedTTL\"");
        text = HASH.matcher(text).replaceAll("\"hash\":#");
        text = BLOB.matcher(text).replaceAll("\"blob\":\"#\"");
        return REMAINING_BYTES.matcher(text).replaceAll("\"remaining_bytes\":\"#\"");
    }

    @Test
    void leases() throws IOException {
        GatewaySession s = new GatewaySession(keel, etcd, GatewayStreamCompatTest::mask);
        s.calls(List.of(
                post("/v3/lease/grant", "{\"TTL\":60,\"ID\":4660}"),
                post("/v3/kv/put", "{\"key\":\"bGVhc2U=\",\"value\":\"djE=\",\"lease\":\"4660\"}"),
                post("/v3/lease/timetolive", "{\"ID\":4660,\"keys\":true}"),
                post("/v3/lease/leases", "{}"),
                post("/v3/kv/lease/timetolive", "{\"ID\":\"4660\"}"),
                post("/v3/lease/keepalive", "{\"ID\":4660}"),
                post("/v3/lease/keepalive", "{\"ID\":4660}\n{\"ID\":4660}"),
                post("/v3/lease/keepalive", "{\"ID\":999}"),
                post("/v3/lease/keepalive", "{\"ID\":\"x\"}"),
                post("/v3/lease/keepalive", "{\"ID\":4660}\n{\"ID\":\"x\"}\n{\"ID\":4660}"),
                post("/v3/lease/revoke", "{\"ID\":\"x\"}"),
                post("/v3/lease/revoke", "{\"ID\":4660}"),
                post("/v3/kv/range", "{\"key\":\"bGVhc2U=\"}"),
                post("/v3/lease/timetolive", "{\"ID\":4660}"),
                post("/v3/lease/revoke", "{\"ID\":4660}"),
                post("/v3/lease/grant", "{\"TTL\":-1}"),
                post("/v3/kv/put", "{\"key\":\"bGVhc2U=\",\"value\":\"djE=\",\"lease\":\"4660\"}")));
        assertEquals(List.of(), s.finish("gateway-lease"), s.summary());
    }

    /**
     * Keel alone: 5000 keepalives in one body get 5000 answers, paced by the stream's window. etcd's answers stop
     * after as many as it read before Go's HTTP server closed the request body under the streaming answer (about
     * a thousand here, depending on timing), so there is nothing exact to compare.
     */
    @Test
    void aBodyOfManyKeepalivesGetsAnAnswerForEach() {
        int n = 5000;
        GatewayCurl.raw(keel + "/v3/lease/grant", "POST", "{\"TTL\":60,\"ID\":4662}", null);
        String out = GatewayCurl.raw(keel + "/v3/lease/keepalive", "POST", "{\"ID\":4662}\n".repeat(n), null);
        long answers = out.lines().filter(l -> l.startsWith("{\"result\":") && l.contains("\"TTL\":\"60\"")).count();
        assertEquals(n, answers, out.substring(0, Math.min(out.length(), 2000)));
        GatewayCurl.raw(keel + "/v3/lease/revoke", "POST", "{\"ID\":4662}", null);
    }

    @Test
    void watches() throws IOException {
        GatewaySession s = new GatewaySession(keel, etcd, GatewayStreamCompatTest::mask);
        s.calls(List.of(
                post("/v3/kv/put", "{\"key\":\"d2F0Y2g=\",\"value\":\"djE=\"}"),
                post("/v3/kv/put", "{\"key\":\"d2F0Y2g=\",\"value\":\"djI=\"}")));
        // history from r+1 with the previous values, then a put made while the stream is open
        s.step(watch("{\"create_request\":{\"key\":\"d2F0Y2g=\",\"start_revision\":\"{r+1}\",\"prev_kv\":true}}",
                2, post("/v3/kv/put", "{\"key\":\"d2F0Y2g=\",\"value\":\"djM=\"}"), 1));
        s.step(watch("{\"create_request\":{\"key\":\"d2F0Y2g=\",\"range_end\":\"d2F0Y2k=\"}}",
                1, post("/v3/kv/deleterange", "{\"key\":\"d2F0Y2g=\"}"), 1));
        s.calls(List.of(post("/v3/kv/compaction", "{\"revision\":\"{r+3}\"}"),
                post("/v3/watch", "{\"create_request\":{\"key\":1}}")));
        s.step(watch("{\"create_request\":{\"key\":\"d2F0Y2g=\",\"start_revision\":\"{r+1}\"}}", 2, null, 0));
        s.step(watch("{\"create_request\":{\"key\":\"d2F0Y2g=\",\"start_revision\":\"{r+3}\"}}", 2, null, 0));
        assertEquals(List.of(), s.finish("gateway-watch"), s.summary());
    }

    @Test
    void clusterAndMaintenance() throws IOException {
        GatewaySession s = new GatewaySession(keel, etcd, GatewayStreamCompatTest::mask);
        s.calls(List.of(post("/v3/cluster/member/list", "{}")));
        s.step(learnerAddedAndRemoved());
        s.calls(List.of(
                post("/v3/cluster/member/remove", "{\"ID\":\"1\"}"),
                post("/v3/cluster/member/update", "{\"ID\":\"1\",\"peerURLs\":[\"http://127.0.0.1:2\"]}"),
                post("/v3/maintenance/status", "{}"),
                post("/v3/maintenance/hash", "{}"),
                post("/v3/maintenance/alarm", "{\"action\":\"GET\"}"),
                post("/v3/maintenance/alarm", "{}"),
                post("/v3/maintenance/defragment", "{}"),
                post("/v3/maintenance/snapshot", "{}")));
        assertEquals(List.of(), s.finish("gateway-cluster"), s.summary());
    }

    @Test
    void locksAndElections() throws IOException {
        GatewaySession s = new GatewaySession(keel, etcd, GatewayStreamCompatTest::mask);
        String leader = "{\"name\":\"ZWw=\",\"key\":\"ZWwvMTIzNQ==\",\"rev\":\"{r+3}\",\"lease\":\"4661\"}";
        s.calls(List.of(
                post("/v3/lease/grant", "{\"TTL\":60,\"ID\":4661}"),
                post("/v3/lock/lock", "{\"name\":\"bG9jaw==\",\"lease\":\"4661\"}"),
                post("/v3/lock/unlock", "{\"key\":\"bG9jay8xMjM1\"}"),
                post("/v3/election/campaign", "{\"name\":\"ZWw=\",\"lease\":\"4661\",\"value\":\"djE=\"}"),
                post("/v3/election/leader", "{\"name\":\"ZWw=\"}")));
        s.step(stream("/v3/election/observe", "{\"name\":\"ZWw=\"}", 1,
                post("/v3/election/proclaim", "{\"leader\":" + leader + ",\"value\":\"djI=\"}"), 1));
        s.calls(List.of(
                post("/v3/election/resign", "{\"leader\":" + leader + "}"),
                post("/v3/election/leader", "{\"name\":\"ZWw=\"}"),
                post("/v3/election/proclaim", "{\"leader\":" + leader + ",\"value\":\"djI=\"}"),
                post("/v3/lock/lock", "{\"name\":\"bG9jaw==\",\"lease\":\"999\"}"),
                post("/v3/lease/revoke", "{\"ID\":4661}")));
        assertEquals(List.of(), s.finish("gateway-concurrency"), s.summary());
    }

    /**
     * Adds a learner (a voter would cost the one-member cluster its quorum), tries to promote it (it never
     * started), lists and removes it by the ID the add answered.
     */
    private static GatewaySession.Step learnerAddedAndRemoved() {
        return new GatewaySession.Step() {
            @Override
            public String title() {
                return "$ curl -X POST /v3/cluster/member/add -d '{\"peerURLs\":[\"http://127.0.0.1:2\"],"
                        + "\"isLearner\":true}'; then promote, list, remove it";
            }

            @Override
            public String run(String url, long base) {
                String added = GatewayCurl.raw(url + "/v3/cluster/member/add", "POST",
                        "{\"peerURLs\":[\"http://127.0.0.1:2\"],\"isLearner\":true}", null);
                Matcher id = ADDED_ID.matcher(added);
                if (!id.find()) {
                    throw new AssertionError(added);
                }
                String body = "{\"ID\":\"" + id.group(1) + "\"}";
                StringBuilder out = new StringBuilder(inIdOrder(added, base));
                for (String path : List.of("promote", "list", "remove", "list")) {
                    out.append("then ").append(path).append(":\n").append(inIdOrder(GatewayCurl.raw(
                            url + "/v3/cluster/member/" + path, "POST", path.equals("list") ? "{}" : body, null),
                            base));
                }
                return out.toString();
            }
        };
    }

    /**
     * Checks that the answer lists its members in unsigned ID order, as etcd does; @return it normalized, the
     * members sorted by what is left after masking (the IDs, and so the order, differ between two clusters)
     */
    private static String inIdOrder(String raw, long base) {
        Matcher members = MEMBERS.matcher(raw);
        if (!members.find()) {
            return GatewayCurl.normalized(raw, base);
        }
        List<Long> ids = MEMBER_ID.matcher(members.group(1)).results().map(m -> Long.parseUnsignedLong(m.group(1)))
                .toList();
        List<Long> sorted = ids.stream().sorted(Long::compareUnsigned).toList();
        assertEquals(sorted, ids, "members in ID order: " + raw);
        String normalized = GatewayCurl.normalized(raw, base);
        Matcher masked = MEMBERS.matcher(normalized);
        if (!masked.find()) {
            throw new AssertionError(normalized);
        }
        List<String> entries = new java.util.ArrayList<>(List.of(masked.group(1).split("(?<=}),(?=\\{)")));
        entries.sort(null);
        return normalized.substring(0, masked.start(1)) + String.join(",", entries)
                + normalized.substring(masked.end(1));
    }

    private static GatewaySession.Step watch(String create, int before, GatewaySession.Call meanwhile, int after) {
        return stream("/v3/watch", create, before, meanwhile, after);
    }

    /**
     * Opens the stream, reads {@code before} lines, makes the call {@code meanwhile} (if any) and prints its
     * answer, reads {@code after} more lines, stops curl.
     */
    private static GatewaySession.Step stream(String path, String body, int before, GatewaySession.Call meanwhile,
                                              int after) {
        return new GatewaySession.Step() {
            @Override
            public String title() {
                return "$ curl -N -X POST " + path + " -d '" + body + "'"
                        + (meanwhile == null ? "" : "\n  meanwhile " + meanwhile.title());
            }

            @Override
            public String run(String url, long base) {
                try (GatewayCurlStream curl = GatewayCurlStream.post(url + path, GatewaySession.body(body, base))) {
                    curl.bodyLines(before);
                    String answer = "";
                    if (meanwhile != null) {
                        answer = GatewayCurl.normalized(GatewayCurl.raw(url + meanwhile.path(), meanwhile.method(),
                                GatewaySession.body(meanwhile.body(), base), null), base);
                        curl.bodyLines(after);
                    }
                    return GatewayCurl.normalized(curl.stop(), base) + (meanwhile == null ? "" : "meanwhile:\n"
                            + answer);
                }
            }
        };
    }
}
