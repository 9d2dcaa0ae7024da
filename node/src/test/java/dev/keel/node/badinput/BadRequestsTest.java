package dev.keel.node.badinput;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.keel.node.api.KvCodec;
import dev.keel.node.compat.ComparedClusters;
import dev.keel.node.compat.EtcdTools;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad requests get etcd's gRPC code and text from Keel, and Keel keeps serving: each case is sent to a
 * one-member etcd 3.4 and a one-member Keel (default limits), the answers compared, then a put and a get must
 * work on Keel. Both stores see the same requests in the same order, so revisions agree.
 */
class BadRequestsTest {
    private static final int MAX_REQUEST_BYTES = 1536 * 1024;
    private static final String PUT = "etcdserverpb.KV/Put";
    private static ComparedClusters clusters;
    private static String etcd;
    private static String keel;

    @BeforeAll
    static void startClusters() {
        EtcdTools.requireEtcd();
        clusters = ComparedClusters.start(1, UnaryOperator.identity(), List.of());
        etcd = clusters.etcdFacts.endpoint("m1");
        keel = clusters.keelFacts.endpoint("m1");
    }

    @AfterAll
    static void stopClusters() {
        if (clusters != null) {
            clusters.close();
        }
    }

    /** Keel still serves a put and a get; etcd gets the same put, so both stores keep the same revisions. */
    @AfterEach
    void keelStillServes() {
        for (String endpoint : new String[]{keel, etcd}) {
            KVGrpc.KVBlockingStub kv = kv(endpoint);
            kv.put(PutRequest.newBuilder().setKey(bytes("alive")).setValue(bytes("yes")).build());
            assertEquals("yes", kv.range(RangeRequest.newBuilder().setKey(bytes("alive")).build()).getKvs(0)
                    .getValue().toStringUtf8());
        }
        assertEquals(null, clusters.keel.member(0).failure());
    }

    private static KVGrpc.KVBlockingStub kv(String endpoint) {
        return GrpcClients.newClient("http://" + endpoint, KVGrpc.KVBlockingStub.class)
                .withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    /** Sends {@code message} to both; asserts the answers are equal; returns etcd's. */
    private static String same(String method, byte[] message) {
        String expected = RawGrpc.call(etcd, method, message);
        assertEquals(expected, RawGrpc.call(keel, method, message), method + " " + message.length + " bytes");
        return expected;
    }

    private static byte[] put(String key, int valueBytes) {
        return PutRequest.newBuilder().setKey(bytes(key)).setValue(ByteString.copyFrom(new byte[valueBytes]))
                .build().toByteArray();
    }

    /** The largest value etcd accepts with key "k" on member {@code memberId}, by etcd's measure. */
    private static int largestValue(long memberId) {
        int v = MAX_REQUEST_BYTES;
        while (KvCodec.raftRequestBytes(put("k", v).length, memberId) > MAX_REQUEST_BYTES) {
            v--;
        }
        return v;
    }

    @Test
    void aPutOverMaxRequestBytesIsRefusedAtTheSameSizeAsOnThatEtcdMember() {
        // etcd's limit moves by a byte with the proposing member's ID (its request IDs start with the ID's low
        // 16 bits), so each side is probed at its own boundary, computed the same way for both.
        for (String[] side : new String[][]{{"etcd", etcd}, {"Keel", keel}}) {
            ComparedClusters c = clusters;
            long id = (side[0].equals("etcd") ? c.etcdFacts : c.keelFacts).id("m1");
            int largest = largestValue(id);
            assertEquals("OK", RawGrpc.call(side[1], PUT, put("k", largest)), side[0] + " at its boundary");
            assertEquals("INVALID_ARGUMENT: etcdserver: request is too large",
                    RawGrpc.call(side[1], PUT, put("k", largest + 1)), side[0] + " one byte over");
        }
        same(PUT, put("k", MAX_REQUEST_BYTES));
    }

    @Test
    void aMessageOverTheGrpcReceiveLimitGetsGrpcGosResourceExhausted() {
        assertEquals("RESOURCE_EXHAUSTED: grpc: received message larger than max (2097160 vs. 2097152)",
                same(PUT, put("k", 2 << 20)));
        assertTrue(same(PUT, put("k", 3 << 20)).startsWith("RESOURCE_EXHAUSTED: grpc: received message larger"));
        assertTrue(same("etcdserverpb.KV/Range", RangeRequest.newBuilder().setKey(bytes("k"))
                .setRangeEnd(ByteString.copyFrom(new byte[3 << 20])).build().toByteArray())
                .startsWith("RESOURCE_EXHAUSTED"));
    }

    private static TxnRequest txnOfPuts(int ops) {
        TxnRequest.Builder b = TxnRequest.newBuilder();
        for (int i = 0; i < ops; i++) {
            b.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("t" + i))));
        }
        return b.build();
    }

    @Test
    void aTxnOf129OpsIsRefusedAnd128AreFine() {
        assertEquals("INVALID_ARGUMENT: etcdserver: too many operations in txn request",
                same("etcdserverpb.KV/Txn", txnOfPuts(129).toByteArray()));
        assertEquals("OK", same("etcdserverpb.KV/Txn", txnOfPuts(128).toByteArray()));
        TxnRequest compares = TxnRequest.newBuilder().addAllCompare(java.util.Collections.nCopies(129,
                Compare.newBuilder().setKey(bytes("t0")).build())).build();
        assertEquals("INVALID_ARGUMENT: etcdserver: too many operations in txn request",
                same("etcdserverpb.KV/Txn", compares.toByteArray()));
    }

    @Test
    void emptyKeysAreRefusedEverywhere() {
        String expected = "INVALID_ARGUMENT: etcdserver: key is not provided";
        assertEquals(expected, same(PUT, PutRequest.newBuilder().setValue(bytes("v")).build().toByteArray()));
        assertEquals(expected, same("etcdserverpb.KV/Range", RangeRequest.getDefaultInstance().toByteArray()));
        assertEquals(expected, same("etcdserverpb.KV/DeleteRange",
                DeleteRangeRequest.getDefaultInstance().toByteArray()));
        assertEquals(expected, same("etcdserverpb.KV/Txn", TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setValue(bytes("x"))).build().toByteArray()));
        assertEquals(expected, same("etcdserverpb.KV/Txn", TxnRequest.newBuilder()
                .addFailure(RequestOp.newBuilder().setRequestPut(PutRequest.getDefaultInstance())).build()
                .toByteArray()));
        assertEquals("INVALID_ARGUMENT: etcdserver: key not found", same("etcdserverpb.KV/Txn",
                TxnRequest.newBuilder().addSuccess(RequestOp.getDefaultInstance()).build().toByteArray()));
    }

    @Test
    void futureAndCompactedRevisionsAreOutOfRange() {
        for (int i = 0; i < 3; i++) {
            same(PUT, put("k", i));
        }
        long etcdRev = kv(etcd).range(RangeRequest.newBuilder().setKey(bytes("k")).build()).getHeader()
                .getRevision();
        assertEquals(etcdRev, kv(keel).range(RangeRequest.newBuilder().setKey(bytes("k")).build()).getHeader()
                .getRevision(), "both saw the same writes");
        String future = "OUT_OF_RANGE: etcdserver: mvcc: required revision is a future revision";
        String compacted = "OUT_OF_RANGE: etcdserver: mvcc: required revision has been compacted";
        assertEquals(future, same("etcdserverpb.KV/Range", RangeRequest.newBuilder().setKey(bytes("k"))
                .setRevision(etcdRev + 1).build().toByteArray()));
        assertEquals(future, same("etcdserverpb.KV/Compact", CompactionRequest.newBuilder()
                .setRevision(etcdRev + 1000).build().toByteArray()));
        assertEquals("OK", same("etcdserverpb.KV/Compact", CompactionRequest.newBuilder()
                .setRevision(etcdRev).build().toByteArray()));
        assertEquals(compacted, same("etcdserverpb.KV/Range", RangeRequest.newBuilder().setKey(bytes("k"))
                .setRevision(etcdRev - 1).build().toByteArray()));
        assertEquals(compacted, same("etcdserverpb.KV/Compact", CompactionRequest.newBuilder()
                .setRevision(etcdRev).build().toByteArray()));
        assertEquals(compacted, same("etcdserverpb.KV/Txn", TxnRequest.newBuilder().addSuccess(RequestOp
                .newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes("k"))
                        .setRevision(1))).addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                        .setKey(bytes("k")))).build().toByteArray()));
    }

    @Test
    void hashKvOfFutureAndCompactedRevisionsAndMoveLeaderToAStrangerAreRefusedAsEtcd() {
        for (int i = 0; i < 3; i++) {
            same(PUT, put("h", i));
        }
        long rev = kv(etcd).range(RangeRequest.newBuilder().setKey(bytes("h")).build()).getHeader().getRevision();
        String hashKv = "etcdserverpb.Maintenance/HashKV";
        assertEquals("OUT_OF_RANGE: etcdserver: mvcc: required revision is a future revision",
                same(hashKv, io.etcd.jetcd.api.HashKVRequest.newBuilder().setRevision(rev + 1).build().toByteArray()));
        assertEquals("OK", same("etcdserverpb.KV/Compact", CompactionRequest.newBuilder().setRevision(rev).build()
                .toByteArray()));
        assertEquals("OUT_OF_RANGE: etcdserver: mvcc: required revision has been compacted",
                same(hashKv, io.etcd.jetcd.api.HashKVRequest.newBuilder().setRevision(rev - 1).build().toByteArray()));
        assertEquals("OK", same(hashKv, io.etcd.jetcd.api.HashKVRequest.getDefaultInstance().toByteArray()));
        assertEquals("FAILED_PRECONDITION: etcdserver: bad leader transferee", same(
                "etcdserverpb.Maintenance/MoveLeader",
                io.etcd.jetcd.api.MoveLeaderRequest.newBuilder().setTargetID(1234).build().toByteArray()));
    }

    @Test
    void messagesThatDoNotParseGetEtcdsUnmarshallingError() {
        List<byte[]> truncated = new ArrayList<>();
        truncated.add(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff});
        truncated.add(new byte[]{0x0a, 0x64, 'a', 'b', 'c'});
        truncated.add(new byte[]{0x0a, 0x01, 'k', 0x12, 0x01, 'v', 0x18, (byte) 0x80});
        for (byte[] message : truncated) {
            assertEquals("INTERNAL: grpc: error unmarshalling request: unexpected EOF", same(PUT, message));
        }
        assertEquals("INTERNAL: grpc: error unmarshalling request: unexpected EOF",
                same("etcdserverpb.KV/Txn", new byte[]{0x12, 0x05, 0x0a, 0x03, 0x0a, 0x01}));
        assertEquals("INTERNAL: grpc: error unmarshalling request: unexpected EOF",
                same("etcdserverpb.Maintenance/Status", new byte[]{(byte) 0xff}));
        assertEquals("INTERNAL: grpc: error unmarshalling request: unexpected EOF",
                same("etcdserverpb.Cluster/MemberList", new byte[]{0x0a}));
        // Parse failures other than truncation: the same code and prefix; the reason is worded by each
        // side's protobuf library (docs/compatibility.md).
        for (byte[] message : List.of(new byte[]{0x0a, 0x01, 'k', 0x00}, new byte[]{0x0a, 0x01, 'k', 0x0f})) {
            String expected = RawGrpc.call(etcd, PUT, message);
            String actual = RawGrpc.call(keel, PUT, message);
            String prefix = "INTERNAL: grpc: error unmarshalling request: ";
            assertTrue(expected.startsWith(prefix) && actual.startsWith(prefix), expected + " / " + actual);
        }
    }

    @Test
    void aKnownFieldWithTheWrongWireTypeIsAnUnknownFieldToKeel() {
        // etcd's gogo/protobuf refuses field 1 (key, bytes) sent as a varint; protobuf-java keeps it as an
        // unknown field, so Keel sees a put without a key. A documented difference, pinned here.
        byte[] keyAsVarint = {0x08, 0x01};
        assertEquals("INTERNAL: grpc: error unmarshalling request: proto: wrong wireType = 0 for field Key",
                RawGrpc.call(etcd, PUT, keyAsVarint));
        assertEquals("INVALID_ARGUMENT: etcdserver: key is not provided", RawGrpc.call(keel, PUT, keyAsVarint));
    }

    @Test
    void malformedGrpcFramesGetGrpcGosStatus() {
        byte[] shortOfItsPrefix = {0, 0, 0, 0, 100, 0x0a, 0x01, 'k'};
        byte[] compressedWithoutEncoding = {1, 0, 0, 0, 3, 0x0a, 0x01, 'k'};
        byte[] twoMessagesInAUnaryCall = {0, 0, 0, 0, 3, 0x0a, 0x01, 'k', 0, 0, 0, 0, 3, 0x0a, 0x01, 'k'};
        byte[] trailingPartialFrame = {0, 0, 0, 0, 3, 0x0a, 0x01, 'k', 0, 0};
        for (byte[] body : List.of(shortOfItsPrefix, compressedWithoutEncoding, twoMessagesInAUnaryCall,
                trailingPartialFrame)) {
            String expected = RawGrpc.post(etcd, PUT, body);
            assertEquals(expected, RawGrpc.post(keel, PUT, body), java.util.Arrays.toString(body));
        }
        assertEquals("http 200 grpc-status 2: unexpected EOF", RawGrpc.post(keel, PUT, shortOfItsPrefix));
    }

    @Test
    void unknownMethodsAndServicesAreUnimplementedAsInGrpcGo() {
        assertEquals("UNIMPLEMENTED: unknown method Nope for service etcdserverpb.KV",
                same("etcdserverpb.KV/Nope", new byte[0]));
        assertEquals("UNIMPLEMENTED: unknown service etcdserverpb.Nope", same("etcdserverpb.Nope/Range", new byte[0]));
        assertEquals("UNIMPLEMENTED: unknown method Nope for service etcdserverpb.Lease",
                same("etcdserverpb.Lease/Nope", new byte[0]));
        assertEquals("OK", same("etcdserverpb.Lease/LeaseLeases", new byte[0]), "etcd 3.4's LeaseLeases is served");
        same("etcdserverpb.Lease/LeaseGrant", new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertEquals("UNIMPLEMENTED: unknown method Nope for service etcdserverpb.Watch",
                same("etcdserverpb.Watch/Nope", new byte[0]));
        assertEquals("UNIMPLEMENTED: unknown method Nope for service etcdserverpb.Auth",
                same("etcdserverpb.Auth/Nope", new byte[0]));
        assertEquals("FAILED_PRECONDITION: etcdserver: root user does not exist",
                same("etcdserverpb.Auth/AuthEnable", new byte[0]), "Auth is served: enabling needs root first");
        assertEquals("OK", RawGrpc.call(keel, "etcdserverpb.Maintenance/Status", new byte[0]));
    }
}
