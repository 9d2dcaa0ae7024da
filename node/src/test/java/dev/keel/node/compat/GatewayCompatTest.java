package dev.keel.node.compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * curl against Keel's JSON gateway answers what curl against etcd 3.4 answers: the bodies from etcd's gateway
 * documentation (put, range, range_end, deleterange, txn with compares, compaction, status, member list) and bad
 * input (malformed JSON, the wrong shape, an unknown path or enum, a wrong method, an empty key, bodies over the
 * limits), each on a one-member Keel cluster and a one-member etcd started alike, compared after
 * {@link GatewayCurl#normalized masking}. Then Keel's own {@code /version} and {@code /metrics}. The transcripts
 * are kept in {@code target/compat/}.
 */
class GatewayCompatTest {
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

    private static List<GatewaySession.Call> session() {
        return List.of(
                new GatewaySession.Call("POST", "/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}"),
                new GatewaySession.Call("POST", "/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmF6\",\"prev_kv\":true}"),
                new GatewaySession.Call("POST", "/v3/kv/range", "{\"key\":\"Zm9v\"}"),
                new GatewaySession.Call("POST", "/v3/kv/put", "{\"key\":\"Zm9vMQ==\",\"value\":\"eA==\"}"),
                new GatewaySession.Call("POST", "/v3/kv/range", "{\"key\":\"Zm9v\",\"range_end\":\"Zm9w\"}"),
                new GatewaySession.Call("POST", "/v3beta/kv/range", "{\"key\":\"Zm9v\",\"rangeEnd\":\"Zm9w\",\"keys_only\":true}"),
                new GatewaySession.Call("POST", "/v3/kv/range", "{\"key\":\"Zm9v\",\"range_end\":\"Zm9w\",\"count_only\":true}"),
                new GatewaySession.Call("POST", "/v3/kv/txn", "{\"compare\":[{\"target\":\"CREATE\",\"key\":\"Zm9v\","
                        + "\"createRevision\":\"{r+1}\"}],\"success\":[{\"requestPut\":{\"key\":\"Zm9v\",\"value\":"
                        + "\"YmFy\"}}]}"),
                new GatewaySession.Call("POST", "/v3/kv/txn", "{\"compare\":[{\"result\":\"EQUAL\",\"target\":\"VALUE\",\"key\":"
                        + "\"Zm9v\",\"value\":\"YmFy\"}],\"success\":[{\"requestRange\":{\"key\":\"Zm9v\"}}],"
                        + "\"failure\":[{\"request_delete_range\":{\"key\":\"Zm9v\"}}]}"),
                new GatewaySession.Call("POST", "/v3/kv/txn", "{\"compare\":[{\"result\":\"EQUAL\",\"target\":1,\"key\":\"Zm9v\","
                        + "\"version\":\"9\"}],\"failure\":[{\"request_delete_range\":{\"key\":\"Zm9vMQ==\","
                        + "\"prev_kv\":true}}]}"),
                new GatewaySession.Call("POST", "/v3/kv/deleterange", "{\"key\":\"Zm9v\",\"prev_kv\":true}"),
                new GatewaySession.Call("POST", "/v3/kv/compaction", "{\"revision\":\"{r+2}\"}"),
                new GatewaySession.Call("POST", "/v3/kv/range", "{\"key\":\"Zm9v\",\"revision\":\"{r+1}\"}"),
                new GatewaySession.Call("POST", "/v3/kv/compaction", "{\"revision\":\"{r+99}\"}"),
                new GatewaySession.Call("POST", "/v3/maintenance/status", "{}"),
                new GatewaySession.Call("POST", "/v3/cluster/member/list", "{}"),
                // bad input
                new GatewaySession.Call("POST", "/v3/kv/range", "{\"key\":\"Zm9v"),
                new GatewaySession.Call("POST", "/v3/kv/range", "[1]"),
                new GatewaySession.Call("POST", "/v3/kv/range", "{'key':'Zm9v'}"),
                new GatewaySession.Call("POST", "/v3/kv/range", "{key:\"Zm9v\"}"),
                new GatewaySession.Call("POST", "/v3/kv/range", "{\"key\":\"Zm9v\",\"limit\":x}"),
                new GatewaySession.Call("POST", "/v3/kv/range", "\"Zm9v\""),
                new GatewaySession.Call("POST", "/v3/kv/range", "{\"key\":\"Zm9v\",\"limit\":1.5}"),
                new GatewaySession.Call("POST", "/v3/kv/range", "{\"key\":\"Zm9v\",\"serializable\":\"yes\"}"),
                new GatewaySession.Call("POST", "/v3/kv/txn", "{\"compare\":[{\"target\":\"BOGUS\",\"key\":\"Zm9v\"}]}"),
                new GatewaySession.Call("POST", "/v3/kv/range", "{\"bogus\":1}"),
                new GatewaySession.Call("POST", "/v3/kv/range", ""),
                new GatewaySession.Call("POST", "/v3/kv/range", "null"),
                new GatewaySession.Call("POST", "/v3/kv/put", "{\"key\":\"\",\"value\":\"YmFy\"}"),
                new GatewaySession.Call("POST", "/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmFy\",\"lease\":\"123\"}"),
                new GatewaySession.Call("GET", "/v3/kv/range", null),
                new GatewaySession.Call("PUT", "/v3/kv/put", "{}"),
                new GatewaySession.Call("POST", "/v3/kv/nothing", "{}"),
                new GatewaySession.Call("POST", "/v3alpha/kv/range", "{}"),
                new GatewaySession.Call("POST", "/v3/maintenance/hashkv", "{}"),
                new GatewaySession.Call("POST", "/v3/kv/range", "{\"key\":\"Zm9v\"} trailing"),
                // still serving
                new GatewaySession.Call("POST", "/v3/kv/range", "{\"key\":\"Zm9vMQ==\"}"),
                new GatewaySession.Call("GET", "/health", null),
                new GatewaySession.Call("POST", "/health", null));
    }

    @Test
    void curlGetsWhatItGetsFromEtcd() throws IOException {
        // the other tests write too, in an order JUnit chooses: revisions are relative to the session's start
        GatewaySession session = new GatewaySession(keel, etcd, UnaryOperator.identity());
        session.calls(session());
        assertEquals(List.of(), session.finish("gateway"), session.summary());
    }

    @Test
    void bodiesOverTheLimitsGetEtcdsErrors() throws IOException {
        Path dir = Files.createTempDirectory("gateway-bodies");
        try {
            for (int valueBytes : new int[]{1_600_000, 2_200_000}) {
                Path file = dir.resolve(valueBytes + ".json");
                Files.writeString(file, "{\"key\":\"Zm9v\",\"value\":\""
                        + Base64.getEncoder().encodeToString(new byte[valueBytes]) + "\"}", StandardCharsets.UTF_8);
                String expected = GatewayCurl.normalized(GatewayCurl.raw(etcd + "/v3/kv/put", "POST", null, file), 0);
                String actual = GatewayCurl.normalized(GatewayCurl.raw(keel + "/v3/kv/put", "POST", null, file), 0);
                assertEquals(expected, actual, valueBytes + " bytes");
            }
            // Far over: refused from its declared length, unread; the node keeps serving.
            Path huge = dir.resolve("huge.json");
            Files.write(huge, new byte[9 << 20]);
            String refused = GatewayCurl.raw(keel + "/v3/kv/put", "POST", null, huge);
            assertTrue(refused.contains("HTTP/1.1 429") && refused.contains("\"code\":8"), refused);
            assertTrue(GatewayCurl.raw(keel + "/v3/kv/range", "POST", "{\"key\":\"Zm9v\"}", null).startsWith(
                    "HTTP/1.1 200"));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void versionReportsTheApiKeelImplements() {
        String out = GatewayCurl.raw(keel + "/version", "GET", null, null);
        assertTrue(out.endsWith("\r\n\r\n{\"etcdserver\":\"3.4.0\",\"etcdcluster\":\"3.4.0\"}"), out);
    }

    @Test
    void metricsHaveEtcdsNamesAndTypesAndMove() {
        Map<String, String> etcdTypes = types(GatewayCurl.raw(etcd + "/metrics", "GET", null, null));
        String before = GatewayCurl.raw(keel + "/metrics", "GET", null, null);
        GatewayCurl.raw(keel + "/v3/kv/put", "POST", "{\"key\":\"bWV0cmljcw==\",\"value\":\"eA==\"}", null);
        String after = GatewayCurl.raw(keel + "/metrics", "GET", null, null);
        assertTrue(after.startsWith("HTTP/1.1 200") && after.contains("content-type: text/plain; version=0.0.4"),
                after.substring(0, Math.min(300, after.length())));
        Map<String, String> keelTypes = types(after);
        for (String name : List.of("etcd_server_proposals_committed_total", "etcd_server_proposals_applied_total",
                "etcd_server_proposals_pending", "etcd_server_proposals_failed_total",
                "etcd_server_leader_changes_seen_total", "etcd_server_has_leader", "etcd_server_is_leader",
                "etcd_disk_wal_fsync_duration_seconds", "etcd_debugging_snap_save_total_duration_seconds",
                "etcd_mvcc_db_total_size_in_bytes", "etcd_mvcc_db_total_size_in_use_in_bytes",
                "etcd_debugging_mvcc_keys_total", "grpc_server_handled_total", "grpc_server_started_total",
                "etcd_debugging_mvcc_watcher_total", "etcd_debugging_mvcc_watch_stream_total",
                "etcd_debugging_mvcc_slow_watcher_total", "etcd_debugging_lease_granted_total")) {
            assertEquals(etcdTypes.get(name), keelTypes.get(name), name + " has etcd's type");
        }
        for (Map.Entry<String, String> e : keelTypes.entrySet()) {
            if (etcdTypes.containsKey(e.getKey())) {
                assertEquals(etcdTypes.get(e.getKey()), e.getValue(), e.getKey() + " has etcd's type");
            }
        }
        Map<String, Double> was = samples(before);
        Map<String, Double> now = samples(after);
        assertTrue(now.get("etcd_server_proposals_committed_total") > was.get("etcd_server_proposals_committed_total"));
        assertTrue(now.get("etcd_server_proposals_applied_total") > was.get("etcd_server_proposals_applied_total"));
        assertTrue(now.get("etcd_disk_wal_fsync_duration_seconds_count") > 0);
        assertEquals(now.get("etcd_disk_wal_fsync_duration_seconds_count"),
                now.get("etcd_disk_wal_fsync_duration_seconds_bucket{le=\"+Inf\"}"));
        assertEquals(1.0, now.get("etcd_server_has_leader"));
        assertEquals(1.0, now.get("etcd_server_is_leader"));
        String putOk = "grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"Put\","
                + "grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"}";
        assertTrue(now.getOrDefault(putOk, 0.0) >= 1 && now.get(putOk) > was.getOrDefault(putOk, 0.0), putOk);
        assertTrue(now.get("etcd_debugging_mvcc_keys_total") >= 1);
    }

    private static Map<String, String> types(String curlOutput) {
        Map<String, String> out = new HashMap<>();
        for (String line : curlOutput.replace("\r", "").split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                out.put(p[2], p[3]);
            }
        }
        return out;
    }

    private static Map<String, Double> samples(String curlOutput) {
        Map<String, Double> out = new HashMap<>();
        String text = curlOutput.replace("\r", "");
        for (String line : text.substring(text.indexOf("\n\n") + 2).split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return out;
    }
}
