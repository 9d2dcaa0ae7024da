package dev.keel.node.compat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Maintenance;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.maintenance.HashKVResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jetcd 0.8.5's Maintenance client against a 3-member Keel cluster led by m1 — status, HashKV (equal on every
 * member once all applied the same writes), alarms, defragment, the snapshot stream, MoveLeader — and the refusals
 * etcd gives, with its gRPC codes and texts (measured on etcd 3.4.23).
 */
class JetcdMaintenanceTest {
    private static KeelCluster keel;
    private static ClusterFacts facts;
    private static Client client;
    /** HashKV's compact_revision before any compaction. */
    private static long neverCompacted;

    @BeforeAll
    static void start() {
        keel = ComparedClusters.startKeel(3, UnaryOperator.identity());
        facts = awaitFacts();
        ClusterSettling.awaitSettled(facts, false, "Keel");
        client = Client.builder().endpoints("http://" + facts.endpoint("m1")).build();
        for (int i = 0; i < 20; i++) {
            kv("m1").put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("key" + i))
                    .setValue(ByteString.copyFromUtf8("value" + i)).build());
        }
        neverCompacted = raw("m1").hashKV(HashKVRequest.getDefaultInstance()).getCompactRevision();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (keel != null) {
            keel.close();
        }
    }

    private static ClusterFacts awaitFacts() {
        ClusterFacts[] f = new ClusterFacts[1];
        Awaits.until("the member list names every member", 30_000, () -> {
            try {
                f[0] = ClusterFacts.learn(keel.member(0).clientEndpoints().get(0), List.of("m1", "m2", "m3"));
                return true;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        return f[0];
    }

    private static KVGrpc.KVBlockingStub kv(String member) {
        return GrpcClients.newClient("http://" + facts.endpoint(member), KVGrpc.KVBlockingStub.class)
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static MaintenanceGrpc.MaintenanceBlockingStub raw(String member) {
        return ClusterFacts.maintenance(facts.endpoint(member));
    }

    private static String url(String member) {
        return "http://" + facts.endpoint(member);
    }

    @Test
    void statusMemberNamesTheLeaderAndTheMember() throws Exception {
        StatusResponse s = client.getMaintenanceClient().statusMember(url("m2")).get(10, TimeUnit.SECONDS);
        assertEquals(facts.id("m1"), s.getLeader());
        assertEquals(facts.id("m2"), s.getHeader().getMemberId());
        assertEquals("3.4.0", s.getVersion());
    }

    @Test
    void hashKvIsEqualOnEveryMemberAtTheSameRevision() {
        Maintenance m = client.getMaintenanceClient();
        long revision = kv("m1").put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("hashed"))
                .setValue(ByteString.copyFromUtf8("v")).build()).getHeader().getRevision();
        Set<Integer> hashes = new HashSet<>();
        Awaits.until("every member applied revision " + revision, 20_000, () -> {
            hashes.clear();
            for (String member : List.of("m1", "m2", "m3")) {
                try {
                    HashKVResponse r = m.hashKV(url(member), revision).get(10, TimeUnit.SECONDS);
                    hashes.add(r.getHash());
                } catch (ExecutionException e) {
                    return false; // a follower that has not applied the revision yet: a future revision
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            return true;
        });
        assertEquals(1, hashes.size(), "one hash for the same history: " + hashes);
        Set<Integer> storeHashes = new HashSet<>();
        for (String member : List.of("m1", "m2", "m3")) {
            var h = raw(member).hash(io.etcd.jetcd.api.HashRequest.getDefaultInstance());
            assertEquals(facts.id(member), h.getHeader().getMemberId());
            storeHashes.add(h.getHash());
        }
        assertEquals(1, storeHashes.size(), "Hash agrees too once every member applied the same: " + storeHashes);
        var current = raw("m2").hashKV(HashKVRequest.newBuilder().setRevision(0).build());
        assertTrue(current.getHeader().getRevision() >= revision, "revision 0 is the current revision");
    }

    @Test
    void hashKvReportsNoCompactionAsEtcdDoes() {
        assertEquals(-1, neverCompacted, "etcd's compact_revision before the first compaction");
    }

    @Test
    void hashKvRefusesCompactedAndFutureRevisionsAsEtcd() {
        long future = raw("m1").hashKV(HashKVRequest.getDefaultInstance()).getHeader().getRevision() + 1000;
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> raw("m1").hashKV(HashKVRequest.newBuilder().setRevision(future).build()));
        assertEquals(Status.Code.OUT_OF_RANGE, e.getStatus().getCode());
        assertEquals("etcdserver: mvcc: required revision is a future revision", e.getStatus().getDescription());
        // Compacting below the current revision keeps later tests' data; revision 2 is then compacted.
        kv("m1").compact(io.etcd.jetcd.api.CompactionRequest.newBuilder().setRevision(3).build());
        e = assertThrows(StatusRuntimeException.class,
                () -> raw("m1").hashKV(HashKVRequest.newBuilder().setRevision(2).build()));
        assertEquals(Status.Code.OUT_OF_RANGE, e.getStatus().getCode());
        assertEquals("etcdserver: mvcc: required revision has been compacted", e.getStatus().getDescription());
        assertEquals(3, raw("m1").hashKV(HashKVRequest.newBuilder().setRevision(4).build()).getCompactRevision());
    }

    @Test
    void noAlarmsAndDefragmentSucceeds() throws Exception {
        Maintenance m = client.getMaintenanceClient();
        assertEquals(List.of(), m.listAlarms().get(10, TimeUnit.SECONDS).getAlarms());
        m.defragmentMember(url("m3")).get(10, TimeUnit.SECONDS);
    }

    @Test
    void snapshotStreamsTheStoreFollowedByItsSha256() throws Exception {
        // Well over HTTP/2's 64 KiB initial window: the stream must wait for the client's flow control.
        for (int i = 0; i < 12; i++) {
            kv("m1").put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("large" + i))
                    .setValue(ByteString.copyFrom(new byte[40_000])).build());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long size = client.getMaintenanceClient().snapshot(out).get(30, TimeUnit.SECONDS);
        byte[] bytes = out.toByteArray();
        assertEquals(bytes.length, size);
        assertEquals(32, bytes.length % 512, "etcdctl wants whole 512-byte pages followed by a sha256");
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(bytes, bytes.length - 32));
        assertArrayEquals(sha, Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length));
        assertTrue(bytes.length > 12 * 40_000, "every chunk arrived: " + bytes.length);
        assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).contains("value7"), "the store's values");
    }

    @Test
    void moveLeaderHandsLeadershipOverAndBack() throws Exception {
        Maintenance m = client.getMaintenanceClient(); // connected to m1, the leader
        m.moveLeader(facts.id("m3")).get(30, TimeUnit.SECONDS);
        awaitLeader("m3");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> raw("m1").moveLeader(MoveLeaderRequest.newBuilder().setTargetID(facts.id("m2")).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), "m1 no longer leads");
        assertEquals("etcdserver: not leader", e.getStatus().getDescription());
        e = assertThrows(StatusRuntimeException.class,
                () -> raw("m3").moveLeader(MoveLeaderRequest.newBuilder().setTargetID(1234).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertEquals("etcdserver: bad leader transferee", e.getStatus().getDescription());
        raw("m3").moveLeader(MoveLeaderRequest.newBuilder().setTargetID(facts.id("m1")).build());
        awaitLeader("m1");
    }

    private static void awaitLeader(String name) {
        Awaits.until(name + " leads, as every member sees it", 20_000, () -> facts.statuses().stream()
                .allMatch(s -> s.getLeader() == facts.id(name)));
    }
}
