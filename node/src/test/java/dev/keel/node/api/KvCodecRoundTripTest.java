package dev.keel.node.api;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.grpc.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static dev.keel.node.api.KernelHarness.assertStatus;
import static dev.keel.node.api.KernelHarness.bs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Put, Range, DeleteRange and Compact through the codec and a real state machine; expected answers are etcd
 * 3.4.23's (checked side by side with a real member through etcdctl and the JSON gateway).
 */
class KvCodecRoundTripTest {
    private static final ByteString ALL = bs("\0");

    private final KernelHarness kv = new KernelHarness();

    /**
     * At revision 6: a (create 2, mod 5, version 2, "4444"), b (3, 3, 1, "33"), c (4, 4, 1, "222"),
     * d/x (6, 6, 1, "1"). Values sort opposite to keys, so VALUE sorts are told apart from KEY sorts.
     */
    @BeforeEach
    void fill() {
        kv.put("a", "9");
        kv.put("b", "33");
        kv.put("c", "222");
        kv.put("a", "4444");
        kv.put("d/x", "1");
    }

    private static RangeRequest.Builder all() {
        return RangeRequest.newBuilder().setKey(ALL).setRangeEnd(ALL);
    }

    private static List<String> keys(RangeResponse r) {
        return r.getKvsList().stream().map(k -> k.getKey().toStringUtf8()).collect(Collectors.toList());
    }

    @Test
    void singleKeyHasEtcdFieldsAndTheCallersHeader() {
        RangeResponse r = kv.range(RangeRequest.newBuilder().setKey(bs("a")).build());
        ResponseHeader expected = KernelHarness.header().setRevision(6).build();
        assertEquals(expected, r.getHeader());
        KeyValue a = KeyValue.newBuilder().setKey(bs("a")).setValue(bs("4444"))
                .setCreateRevision(2).setModRevision(5).setVersion(2).build();
        assertEquals(List.of(a), r.getKvsList());
        assertEquals(1, r.getCount());
        assertFalse(r.getMore());
    }

    @Test
    void prefixFromKeyAndWholeKeyspace() {
        assertEquals(List.of("d/x"), keys(kv.range(RangeRequest.newBuilder().setKey(bs("d/"))
                .setRangeEnd(bs("d0")).build())));
        RangeResponse fromB = kv.range(RangeRequest.newBuilder().setKey(bs("b")).setRangeEnd(ALL).build());
        assertEquals(List.of("b", "c", "d/x"), keys(fromB));
        assertEquals(3, fromB.getCount());
        assertEquals(List.of("a", "b", "c", "d/x"), keys(kv.range(all().build())));
        RangeResponse none = kv.range(RangeRequest.newBuilder().setKey(bs("zzz")).build());
        assertEquals(RangeResponse.newBuilder().setHeader(KernelHarness.header().setRevision(6)).build(), none);
    }

    @Test
    void limitSetsMoreAndKeepsTheFullCount() {
        RangeResponse r = kv.range(all().setLimit(2).build());
        assertEquals(List.of("a", "b"), keys(r));
        assertTrue(r.getMore());
        assertEquals(4, r.getCount());
        RangeResponse exact = kv.range(all().setLimit(4).build());
        assertFalse(exact.getMore());
        RangeResponse sorted = kv.range(all().setLimit(1).setSortOrder(RangeRequest.SortOrder.DESCEND).build());
        assertEquals(List.of("d/x"), keys(sorted));
        assertTrue(sorted.getMore());
    }

    @Test
    void everySortOrderAndTarget() {
        assertEquals(List.of("d/x", "c", "b", "a"), keys(kv.range(all()
                .setSortOrder(RangeRequest.SortOrder.DESCEND).build())));
        assertEquals(List.of("a", "b", "c", "d/x"), keys(kv.range(all()
                .setSortOrder(RangeRequest.SortOrder.ASCEND).setSortTarget(RangeRequest.SortTarget.KEY).build())));
        assertEquals(List.of("b", "c", "a", "d/x"), keys(kv.range(all()
                .setSortOrder(RangeRequest.SortOrder.ASCEND).setSortTarget(RangeRequest.SortTarget.MOD).build())));
        assertEquals(List.of("d/x", "c", "b", "a"), keys(kv.range(all()
                .setSortOrder(RangeRequest.SortOrder.DESCEND).setSortTarget(RangeRequest.SortTarget.CREATE).build())));
        assertEquals(List.of("d/x", "c", "b", "a"), keys(kv.range(all()
                .setSortOrder(RangeRequest.SortOrder.ASCEND).setSortTarget(RangeRequest.SortTarget.VALUE).build())));
        // etcd sorts ascending when only a target other than KEY is given; a (version 2) comes last.
        List<String> byVersion = keys(kv.range(all().setSortTarget(RangeRequest.SortTarget.VERSION).build()));
        assertEquals("a", byVersion.get(3));
        List<String> byVersionDown = keys(kv.range(all().setSortOrder(RangeRequest.SortOrder.DESCEND)
                .setSortTarget(RangeRequest.SortTarget.VERSION).build()));
        assertEquals("a", byVersionDown.get(0));
    }

    @Test
    void keysOnlyAndCountOnly() {
        RangeResponse keysOnly = kv.range(all().setKeysOnly(true).build());
        assertEquals(List.of("a", "b", "c", "d/x"), keys(keysOnly));
        assertTrue(keysOnly.getKvsList().stream().allMatch(k -> k.getValue().isEmpty()));
        assertEquals(5, keysOnly.getKvs(0).getModRevision());
        RangeResponse countOnly = kv.range(all().setCountOnly(true).setLimit(1).build());
        assertEquals(RangeResponse.newBuilder().setHeader(KernelHarness.header().setRevision(6)).setCount(4).build(),
                countOnly);
    }

    @Test
    void pastRevisionAndRevisionFilters() {
        RangeResponse past = kv.range(all().setRevision(3).build());
        assertEquals(List.of("a", "b"), keys(past));
        assertEquals(bs("9"), past.getKvs(0).getValue());
        assertEquals(6, past.getHeader().getRevision());
        RangeResponse minMod = kv.range(all().setMinModRevision(4).build());
        assertEquals(List.of("a", "c", "d/x"), keys(minMod));
        assertEquals(4, minMod.getCount(), "etcd counts before filtering");
        assertEquals(List.of("b", "c"), keys(kv.range(all().setMaxModRevision(4).build())));
        assertEquals(List.of("b", "c", "d/x"), keys(kv.range(all().setMinCreateRevision(3).build())));
        assertEquals(List.of("a", "b"), keys(kv.range(all().setMaxCreateRevision(3).build())));
        assertEquals(List.of("c"), keys(kv.range(all().setMinCreateRevision(3).setMaxModRevision(4)
                .setMinModRevision(4).build())));
        assertEquals(List.of("a"), keys(kv.range(all().setSerializable(true).setLimit(1).build())));
    }

    @Test
    void putAnswersPrevKvOnlyWhenThereIsOne() {
        PutResponse fresh = kv.put(PutRequest.newBuilder().setKey(bs("new")).setValue(bs("v")).setPrevKv(true).build());
        assertEquals(PutResponse.newBuilder().setHeader(KernelHarness.header().setRevision(7)).build(), fresh);
        PutResponse again = kv.put(PutRequest.newBuilder().setKey(bs("new")).setValue(bs("w")).setPrevKv(true).build());
        assertEquals(KeyValue.newBuilder().setKey(bs("new")).setValue(bs("v")).setCreateRevision(7)
                .setModRevision(7).setVersion(1).build(), again.getPrevKv());
        assertEquals(8, again.getHeader().getRevision());
        assertFalse(kv.put("new", "x").hasPrevKv());
    }

    @Test
    void putWithLeaseAndTheIgnoreFlags() {
        long lease = kv.grantLease(60);
        kv.put(PutRequest.newBuilder().setKey(bs("l")).setValue(bs("v")).setLease(lease).build());
        kv.put(PutRequest.newBuilder().setKey(bs("l")).setIgnoreValue(true).setIgnoreLease(true).build());
        KeyValue l = kv.range(RangeRequest.newBuilder().setKey(bs("l")).build()).getKvs(0);
        assertEquals(bs("v"), l.getValue());
        assertEquals(lease, l.getLease());
        assertEquals(2, l.getVersion());
        assertStatus(Status.Code.INVALID_ARGUMENT, "etcdserver: key not found",
                () -> kv.put(PutRequest.newBuilder().setKey(bs("absent")).setIgnoreValue(true).build()));
        assertStatus(Status.Code.NOT_FOUND, "etcdserver: requested lease not found",
                () -> kv.put(PutRequest.newBuilder().setKey(bs("x")).setLease(lease + 1).build()));
    }

    @Test
    void deleteWithPrevKv() {
        DeleteRangeResponse none = kv.delete(DeleteRangeRequest.newBuilder().setKey(bs("none")).setPrevKv(true).build());
        assertEquals(DeleteRangeResponse.newBuilder().setHeader(KernelHarness.header().setRevision(6)).build(), none);
        DeleteRangeResponse prefix = kv.delete(DeleteRangeRequest.newBuilder().setKey(bs("b")).setRangeEnd(bs("d"))
                .setPrevKv(true).build());
        assertEquals(2, prefix.getDeleted());
        assertEquals(List.of("b", "c"), prefix.getPrevKvsList().stream().map(k -> k.getKey().toStringUtf8())
                .collect(Collectors.toList()));
        assertEquals(bs("222"), prefix.getPrevKvs(1).getValue());
        assertEquals(7, prefix.getHeader().getRevision());
        DeleteRangeResponse rest = kv.delete(DeleteRangeRequest.newBuilder().setKey(bs("a")).setRangeEnd(ALL).build());
        assertEquals(2, rest.getDeleted());
        assertEquals(0, rest.getPrevKvsCount());
        assertEquals(0, kv.range(all().build()).getCount());
    }

    @Test
    void compactThenReadCompactedAndFutureRevisions() {
        assertEquals(KernelHarness.header().setRevision(6).build(), kv.compact(4).getHeader());
        assertStatus(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted",
                () -> kv.range(all().setRevision(3).build()));
        assertEquals(List.of("a", "b", "c"), keys(kv.range(all().setRevision(4).build())));
        assertStatus(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision",
                () -> kv.range(all().setRevision(7).build()));
        assertStatus(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted",
                () -> kv.compact(4));
        assertStatus(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision",
                () -> kv.compact(99));
    }
}
