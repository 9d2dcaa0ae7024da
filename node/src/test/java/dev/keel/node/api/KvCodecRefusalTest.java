package dev.keel.node.api;

import com.google.protobuf.ByteString;
import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.keel.node.api.KernelHarness.assertStatus;
import static dev.keel.node.api.KernelHarness.bs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refusal etcd makes before a KV request reaches the store, with etcd's code and exact text. */
class KvCodecRefusalTest {
    private static final Status.Code INVALID = Status.Code.INVALID_ARGUMENT;
    private static final String EMPTY_KEY = "etcdserver: key is not provided";
    private static final String TOO_MANY = "etcdserver: too many operations in txn request";
    private static final String DUPLICATE = "etcdserver: duplicate key given in txn request";
    private static final String TOO_LARGE = "etcdserver: request is too large";
    private static final String SORT = "etcdserver: invalid sort option";

    private final KvCodec codec = new KvCodec(new MvccConfig());
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);

    private static RequestOp put(String key) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs(key))).build();
    }

    private static RequestOp get(String key) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bs(key))).build();
    }

    private static RequestOp delete(String key, String end) {
        return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bs(key))
                .setRangeEnd(bs(end))).build();
    }

    private static RequestOp txn(TxnRequest.Builder nested) {
        return RequestOp.newBuilder().setRequestTxn(nested).build();
    }

    private static TxnRequest.Builder ops(int count, String prefix) {
        TxnRequest.Builder r = TxnRequest.newBuilder();
        for (int i = 0; i < count; i++) {
            r.addSuccess(put(prefix + i));
        }
        return r;
    }

    private static ByteString filled(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'v');
        return ByteString.copyFrom(bytes);
    }

    @Test
    void emptyKeys() {
        assertStatus(INVALID, EMPTY_KEY, () -> codec.encodeRange(RangeRequest.getDefaultInstance(), out));
        assertStatus(INVALID, EMPTY_KEY, () -> codec.encodePut(PutRequest.newBuilder().setValue(bs("v")).build(), out));
        assertStatus(INVALID, EMPTY_KEY, () -> codec.encodeDeleteRange(DeleteRangeRequest.newBuilder()
                .setRangeEnd(bs("\0")).build(), out));
        assertStatus(INVALID, EMPTY_KEY, () -> codec.encodeTxn(TxnRequest.newBuilder()
                .addCompare(Compare.getDefaultInstance()).build(), out));
        assertStatus(INVALID, EMPTY_KEY, () -> codec.encodeTxn(TxnRequest.newBuilder().addFailure(get("")).build(), out));
        assertStatus(INVALID, EMPTY_KEY, () -> codec.encodeTxn(TxnRequest.newBuilder()
                .addSuccess(txn(TxnRequest.newBuilder().addFailure(delete("", "")))).build(), out));
    }

    @Test
    void invalidSortOptions() {
        RangeRequest.Builder r = RangeRequest.newBuilder().setKey(bs("a"));
        for (int order : new int[] {-1, 3, 256}) {
            assertStatus(INVALID, SORT, () -> codec.encodeRange(r.clone().setSortOrderValue(order).build(), out));
        }
        for (int target : new int[] {-1, 5, 260}) {
            assertStatus(INVALID, SORT, () -> codec.encodeRange(r.clone().setSortTargetValue(target).build(), out));
        }
        RequestOp bad = RequestOp.newBuilder().setRequestRange(r.clone().setSortOrderValue(9)).build();
        assertStatus(INVALID, SORT, () -> codec.encodeTxn(TxnRequest.newBuilder().addSuccess(bad).build(), out));
    }

    @Test
    void ignoreFlagsWithAValueOrLease() {
        PutRequest.Builder p = PutRequest.newBuilder().setKey(bs("k"));
        assertStatus(INVALID, "etcdserver: value is provided",
                () -> codec.encodePut(p.clone().setIgnoreValue(true).setValue(bs("v")).build(), out));
        assertStatus(INVALID, "etcdserver: lease is provided",
                () -> codec.encodePut(p.clone().setIgnoreLease(true).setLease(5).build(), out));
        RequestOp op = RequestOp.newBuilder().setRequestPut(p.clone().setIgnoreLease(true).setLease(5)).build();
        assertStatus(INVALID, "etcdserver: lease is provided",
                () -> codec.encodeTxn(TxnRequest.newBuilder().addSuccess(op).build(), out));
    }

    @Test
    void tooManyOpsWithEtcdsShrinkingBudget() {
        codec.encodeTxn(ops(128, "k").build(), out);
        assertStatus(INVALID, TOO_MANY, () -> codec.encodeTxn(ops(129, "k").build(), out));
        TxnRequest.Builder compares = TxnRequest.newBuilder();
        for (int i = 0; i < 129; i++) {
            compares.addCompare(Compare.newBuilder().setKey(bs("c" + i)));
        }
        assertStatus(INVALID, TOO_MANY, () -> codec.encodeTxn(compares.build(), out));
        // A nested txn may use what its parent's widest list leaves: 128 - 100 = 28.
        TxnRequest.Builder parent = ops(100, "p");
        codec.encodeTxn(parent.clone().addFailure(txn(ops(28, "n"))).build(), out);
        assertStatus(INVALID, TOO_MANY, () -> codec.encodeTxn(parent.clone().addFailure(txn(ops(29, "n"))).build(), out));
        // Too many ops is found before an empty key.
        assertStatus(INVALID, TOO_MANY, () -> codec.encodeTxn(ops(129, "k").addSuccess(put("")).build(), out));
    }

    @Test
    void anEmptyOpIsKeyNotFound() {
        assertStatus(INVALID, "etcdserver: key not found",
                () -> codec.encodeTxn(TxnRequest.newBuilder().addSuccess(RequestOp.getDefaultInstance()).build(), out));
        assertStatus(INVALID, "etcdserver: key not found", () -> codec.encodeTxn(TxnRequest.newBuilder()
                .addSuccess(txn(TxnRequest.newBuilder().addFailure(RequestOp.getDefaultInstance()))).build(), out));
    }

    @Test
    void duplicateKeys() {
        assertStatus(INVALID, DUPLICATE, () -> codec.encodeTxn(TxnRequest.newBuilder()
                .addSuccess(put("k")).addSuccess(put("k")).build(), out));
        assertStatus(INVALID, DUPLICATE, () -> codec.encodeTxn(TxnRequest.newBuilder()
                .addFailure(delete("a", "z")).addFailure(put("k")).build(), out));
        assertStatus(INVALID, DUPLICATE, () -> codec.encodeTxn(TxnRequest.newBuilder()
                .addSuccess(put("k")).addSuccess(txn(TxnRequest.newBuilder().addFailure(put("k")))).build(), out));
        // Allowed: the same key in the two branches (of the top txn or a nested one), reads of a written key.
        codec.encodeTxn(TxnRequest.newBuilder().addSuccess(put("k")).addFailure(put("k")).build(), out);
        codec.encodeTxn(TxnRequest.newBuilder().addSuccess(txn(TxnRequest.newBuilder().addSuccess(put("k"))
                .addFailure(put("k")))).build(), out);
        codec.encodeTxn(TxnRequest.newBuilder().addSuccess(put("k")).addSuccess(get("k")).build(), out);
        // An empty op is refused before duplicates are looked for.
        assertStatus(INVALID, "etcdserver: key not found", () -> codec.encodeTxn(TxnRequest.newBuilder()
                .addSuccess(put("k")).addSuccess(put("k")).addFailure(RequestOp.getDefaultInstance()).build(), out));
    }

    /** On etcd 3.4.23 (1.5 MiB limit) a put of key "k" is accepted up to a 1,572,840-byte value. */
    @Test
    void requestTooLargeAtEtcdsBoundary() {
        PutRequest.Builder p = PutRequest.newBuilder().setKey(bs("k"));
        codec.encodePut(p.clone().setValue(filled(1_572_840)).build(), out);
        assertStatus(INVALID, TOO_LARGE, () -> codec.encodePut(p.clone().setValue(filled(1_572_841)).build(), out));
        assertStatus(INVALID, TOO_LARGE, () -> codec.encodeDeleteRange(DeleteRangeRequest.newBuilder()
                .setKey(filled(1_600_000)).build(), out));
        RequestOp bigPut = RequestOp.newBuilder().setRequestPut(p.clone().setValue(filled(1_600_000))).build();
        assertStatus(INVALID, TOO_LARGE, () -> codec.encodeTxn(TxnRequest.newBuilder().addSuccess(bigPut).build(), out));
        // The API-layer checks come first: an empty key is reported even on a huge request.
        assertStatus(INVALID, EMPTY_KEY, () -> codec.encodePut(PutRequest.newBuilder().setValue(filled(1_600_000))
                .build(), out));
    }

    /** etcd serves ranges and read-only txns without Raft: no size limit but gRPC's (checked on etcd 3.4.23). */
    @Test
    void readsAreNotSizeChecked() {
        codec.encodeRange(RangeRequest.newBuilder().setKey(filled(1_700_000)).build(), out);
        TxnRequest readOnly = TxnRequest.newBuilder().addCompare(Compare.newBuilder().setKey(bs("k"))
                .setTarget(Compare.CompareTarget.VALUE).setValue(filled(1_700_000))).addSuccess(get("k")).build();
        int length = codec.encodeTxn(readOnly, out);
        // A kernel given gRPC's receive limit as its own accepts and answers it.
        KernelHarness kv = new KernelHarness(new MvccConfig().maxRequestBytes(2 * 1024 * 1024), codec);
        assertTrue(length > 1_700_000);
        assertEquals(false, kv.txn(readOnly).getSucceeded());
    }

    @Test
    void compactIsRefusedOnlyWhenApplied() {
        codec.encodeCompact(CompactionRequest.newBuilder().setRevision(-5).setPhysical(true).build(), out);
    }

    @Test
    void kernelErrorsBecomeEtcdStatuses() {
        for (MvccError e : MvccError.values()) {
            if (e == MvccError.OK) {
                assertThrows(IllegalArgumentException.class, () -> KvCodec.toStatus(e));
                continue;
            }
            StatusRuntimeException status = KvCodec.toStatus(e);
            assertEquals(e.grpcCode(), status.getStatus().getCode().value());
            assertEquals(e.message(), status.getStatus().getDescription());
            int length = ResponseLayout.writeError(out, 0, RequestType.PUT, e.wireId(), 9);
            assertStatus(status.getStatus().getCode(), e.message(),
                    () -> codec.decodePut(out, 0, length, KernelHarness.header()));
        }
        assertStatus(Status.Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded",
                () -> { throw KvCodec.toStatus(MvccError.NO_SPACE); });
    }

    @Test
    void aResponseOfAnotherTypeOrTooShortIsAClearError() {
        int length = ResponseLayout.writeHeader(out, 0, RequestType.RANGE, 0, 0, 3) + 12;
        out.putLong(ResponseLayout.HEADER_LENGTH, 0);
        out.putInt(ResponseLayout.HEADER_LENGTH + 8, 0);
        assertEquals(3, codec.decodeRange(out, 0, length, KernelHarness.header()).getHeader().getRevision());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.decodePut(out, 0, length, KernelHarness.header()));
        assertTrue(e.getMessage().contains("type"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> codec.decodeRange(out, 0, 5, KernelHarness.header()));
        assertThrows(IllegalArgumentException.class, () -> new KvCodec(0, 128));
    }
}
