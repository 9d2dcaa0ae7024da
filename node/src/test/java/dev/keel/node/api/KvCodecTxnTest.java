package dev.keel.node.api;

import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.keel.node.api.KernelHarness.assertStatus;
import static dev.keel.node.api.KernelHarness.bs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Txns through the codec and a real state machine, answered as etcd 3.4.23 answers them. */
class KvCodecTxnTest {
    private final KernelHarness kv = new KernelHarness();
    private long lease;

    /** a: create 2, mod 3, version 2, value "m"; l: lease {@link #lease}, at revision 4. */
    @BeforeEach
    void fill() {
        kv.put("a", "k");
        kv.put("a", "m");
        lease = kv.grantLease(60);
        kv.put(PutRequest.newBuilder().setKey(bs("l")).setValue(bs("v")).setLease(lease).build());
    }

    private static RequestOp get(String key) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bs(key))).build();
    }

    private static RequestOp put(String key, String value) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)))
                .build();
    }

    private boolean holds(Compare c) {
        TxnRequest r = TxnRequest.newBuilder().addCompare(c).addSuccess(get("a")).addFailure(get("l")).build();
        TxnResponse response = kv.txn(r);
        String read = response.getResponses(0).getResponseRange().getKvs(0).getKey().toStringUtf8();
        assertEquals(response.getSucceeded() ? "a" : "l", read, "the branch taken is the branch answered");
        return response.getSucceeded();
    }

    /** Compare on target {@code t} of {@code key} with operand {@code operand}, for every result. */
    private void everyResult(String key, Compare.Builder c, int actualVersusOperand) {
        c.setKey(bs(key));
        assertEquals(actualVersusOperand == 0, holds(c.setResult(Compare.CompareResult.EQUAL).build()), c.toString());
        assertEquals(actualVersusOperand != 0, holds(c.setResult(Compare.CompareResult.NOT_EQUAL).build()));
        assertEquals(actualVersusOperand > 0, holds(c.setResult(Compare.CompareResult.GREATER).build()));
        assertEquals(actualVersusOperand < 0, holds(c.setResult(Compare.CompareResult.LESS).build()));
    }

    private static Compare.Builder leaseCompare(long operand) {
        UnknownFieldSet.Field field = UnknownFieldSet.Field.newBuilder().addVarint(operand).build();
        return Compare.newBuilder().setTargetValue(4)
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(8, field).build());
    }

    @Test
    void everyTargetWithEveryResult() {
        for (int delta = -1; delta <= 1; delta++) {
            everyResult("a", Compare.newBuilder().setTarget(Compare.CompareTarget.VERSION).setVersion(2 + delta),
                    -delta);
            everyResult("a", Compare.newBuilder().setTarget(Compare.CompareTarget.CREATE)
                    .setCreateRevision(2 + delta), -delta);
            everyResult("a", Compare.newBuilder().setTarget(Compare.CompareTarget.MOD).setModRevision(3 + delta),
                    -delta);
            everyResult("l", leaseCompare(lease + delta), -delta);
        }
        everyResult("a", Compare.newBuilder().setTarget(Compare.CompareTarget.VALUE).setValue(bs("l")), 1);
        everyResult("a", Compare.newBuilder().setTarget(Compare.CompareTarget.VALUE).setValue(bs("m")), 0);
        everyResult("a", Compare.newBuilder().setTarget(Compare.CompareTarget.VALUE).setValue(bs("n")), -1);
    }

    @Test
    void comparesOnAbsentKeysRangesAndMismatchedUnions() {
        // An absent key compares as an empty kv, except that a VALUE compare always fails.
        assertTrue(holds(Compare.newBuilder().setKey(bs("absent")).setTarget(Compare.CompareTarget.VERSION)
                .setVersion(0).build()));
        assertFalse(holds(Compare.newBuilder().setKey(bs("absent")).setTarget(Compare.CompareTarget.VALUE)
                .setResult(Compare.CompareResult.NOT_EQUAL).setValue(bs("x")).build()));
        // A range compare holds only if every key in it satisfies it.
        assertTrue(holds(Compare.newBuilder().setKey(bs("a")).setRangeEnd(bs("\0"))
                .setTarget(Compare.CompareTarget.CREATE).setResult(Compare.CompareResult.GREATER).build()));
        assertFalse(holds(Compare.newBuilder().setKey(bs("a")).setRangeEnd(bs("\0"))
                .setTarget(Compare.CompareTarget.VERSION).setResult(Compare.CompareResult.GREATER)
                .setVersion(1).build()));
        // etcd 3.4 compares with 0 when the union does not hold the target (checked on a real etcd).
        Compare mismatched = Compare.newBuilder().setKey(bs("a")).setTarget(Compare.CompareTarget.VERSION)
                .setModRevision(99).build();
        assertFalse(holds(mismatched));
        assertTrue(holds(mismatched.toBuilder().setResult(Compare.CompareResult.GREATER).build()));
        // An unknown target compares as equal; an unknown result holds.
        assertTrue(holds(Compare.newBuilder().setKey(bs("a")).setTargetValue(300).setVersion(7).build()));
        assertTrue(holds(Compare.newBuilder().setKey(bs("a")).setResultValue(256).setVersion(7).build()));
    }

    @Test
    void onlyTheChosenBranchRuns() {
        TxnRequest.Builder r = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bs("a")).setTarget(Compare.CompareTarget.VALUE)
                        .setValue(bs("m")))
                .addSuccess(put("s", "1")).addFailure(put("f", "1"));
        TxnResponse taken = kv.txn(r.build());
        assertTrue(taken.getSucceeded());
        assertEquals(KernelHarness.header().setRevision(5).build(), taken.getHeader());
        assertEquals(ResponseOp.newBuilder().setResponsePut(io.etcd.jetcd.api.PutResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(5))).build(), taken.getResponses(0));
        TxnResponse other = kv.txn(r.setCompare(0, r.getCompare(0).toBuilder().setValue(bs("x"))).build());
        assertFalse(other.getSucceeded());
        assertEquals(6, other.getHeader().getRevision());
        assertEquals(1, kv.range(RangeRequest.newBuilder().setKey(bs("s")).build()).getCount());
        assertEquals(1, kv.range(RangeRequest.newBuilder().setKey(bs("f")).build()).getCount());
        TxnResponse empty = kv.txn(TxnRequest.getDefaultInstance());
        assertEquals(TxnResponse.newBuilder().setHeader(KernelHarness.header().setRevision(6)).setSucceeded(true)
                .build(), empty);
    }

    /**
     * The same txn was sent to etcd 3.4.23 through its gateway: nested headers hold only a revision, the one
     * before the txn for a read before its first write, the txn's after it, and 0 for a nested txn.
     */
    @Test
    void nestedOpsAndTheirHeaders() {
        TxnRequest nested = TxnRequest.newBuilder().addSuccess(put("nest", "1")).addSuccess(get("nest")).build();
        TxnRequest r = TxnRequest.newBuilder()
                .addSuccess(get("a"))
                .addSuccess(RequestOp.newBuilder().setRequestTxn(nested))
                .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bs("a"))
                        .setCountOnly(true)))
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
                        .setKey(bs("l")).setPrevKv(true)))
                .build();
        TxnResponse response = kv.txn(r);
        assertEquals(KernelHarness.header().setRevision(5).build(), response.getHeader());
        assertEquals(4, response.getResponses(0).getResponseRange().getHeader().getRevision());
        TxnResponse inner = response.getResponses(1).getResponseTxn();
        assertTrue(inner.hasHeader());
        assertEquals(ResponseHeader.getDefaultInstance(), inner.getHeader());
        assertTrue(inner.getSucceeded());
        assertEquals(5, inner.getResponses(0).getResponsePut().getHeader().getRevision());
        assertEquals(bs("1"), inner.getResponses(1).getResponseRange().getKvs(0).getValue());
        assertEquals(5, inner.getResponses(1).getResponseRange().getKvs(0).getCreateRevision());
        assertEquals(ResponseHeader.newBuilder().setRevision(5).build(),
                response.getResponses(2).getResponseRange().getHeader());
        assertEquals(1, response.getResponses(2).getResponseRange().getCount());
        assertEquals(0, response.getResponses(2).getResponseRange().getKvsCount());
        var deleted = response.getResponses(3).getResponseDeleteRange();
        assertEquals(1, deleted.getDeleted());
        assertEquals(lease, deleted.getPrevKvs(0).getLease());
        assertEquals(5, deleted.getHeader().getRevision());
    }

    @Test
    void nestedBranchesMayPutTheSameKey() {
        TxnRequest nested = TxnRequest.newBuilder().addSuccess(put("k", "then")).addFailure(put("k", "else"))
                .addCompare(Compare.newBuilder().setKey(bs("a")).setTarget(Compare.CompareTarget.VERSION)
                        .setVersion(0))
                .build();
        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestTxn(nested)).build());
        assertFalse(response.getResponses(0).getResponseTxn().getSucceeded());
        assertEquals(bs("else"), kv.range(RangeRequest.newBuilder().setKey(bs("k")).build()).getKvs(0).getValue());
    }

    @Test
    void applyTimeErrorsOfATxn() {
        assertStatus(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision",
                () -> kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestRange(
                        RangeRequest.newBuilder().setKey(bs("a")).setRevision(50))).build()));
        assertStatus(Status.Code.NOT_FOUND, "etcdserver: requested lease not found",
                () -> kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(bs("x")).setLease(lease + 5))).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "etcdserver: key not found",
                () -> kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(bs("absent")).setIgnoreValue(true))).build()));
        assertEquals(4, kv.machine.revision(), "a refused txn writes nothing");
    }
}
