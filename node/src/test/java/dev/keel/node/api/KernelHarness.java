package dev.keel.node.api;

import com.google.protobuf.ByteString;
import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.MvccStateMachine;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.agrona.ExpandableArrayBuffer;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A host in miniature: requests go through {@link KvCodec} into a real {@link MvccStateMachine}, writes as
 * applied log entries (validated first, as a host does before proposing), ranges through its read path, and
 * the kernel's responses come back through the codec.
 */
final class KernelHarness {
    static final long CLUSTER_ID = 7;
    static final long MEMBER_ID = 9;
    static final long RAFT_TERM = 3;

    final MvccStateMachine machine;
    final KvCodec codec;
    private final ExpandableArrayBuffer request = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer response = new ExpandableArrayBuffer(256);
    private long raftIndex;

    KernelHarness() {
        this(new MvccConfig());
    }

    KernelHarness(MvccConfig config) {
        this.machine = new MvccStateMachine(config);
        this.codec = new KvCodec(config);
    }

    KernelHarness(MvccConfig kernelConfig, KvCodec codec) {
        this.machine = new MvccStateMachine(kernelConfig);
        this.codec = codec;
    }

    static ByteString bs(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    static ResponseHeader.Builder header() {
        return ResponseHeader.newBuilder().setClusterId(CLUSTER_ID).setMemberId(MEMBER_ID).setRaftTerm(RAFT_TERM);
    }

    /** Validates as a host does before proposing, then applies as the next committed entry. */
    private int commit(int length) {
        MvccError error = machine.validate(request, 0, length);
        if (error != MvccError.OK) {
            throw KvCodec.toStatus(error);
        }
        return machine.apply(++raftIndex, request, 0, length, response);
    }

    PutResponse put(PutRequest r) {
        return codec.decodePut(response, 0, commit(codec.encodePut(r, request)), header());
    }

    PutResponse put(String key, String value) {
        return put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build());
    }

    RangeResponse range(RangeRequest r) {
        int length = codec.encodeRange(r, request);
        int written = machine.range(request, 0, length, response);
        return codec.decodeRange(response, 0, written, header());
    }

    DeleteRangeResponse delete(DeleteRangeRequest r) {
        return codec.decodeDeleteRange(response, 0, commit(codec.encodeDeleteRange(r, request)), header());
    }

    TxnResponse txn(TxnRequest r) {
        return codec.decodeTxn(response, 0, commit(codec.encodeTxn(r, request)), header());
    }

    CompactionResponse compact(long revision) {
        CompactionRequest r = CompactionRequest.newBuilder().setRevision(revision).build();
        return codec.decodeCompact(response, 0, commit(codec.encodeCompact(r, request)), header());
    }

    /** Grants a lease through the log (not part of the KV codec); returns its ID. */
    long grantLease(long ttlSeconds) {
        int length = commit(SmallRequests.encodeLeaseGrant(request, 0, ttlSeconds, 0));
        ResponseView view = new ResponseView().wrap(response, 0, length);
        assertEquals(MvccError.OK, view.error());
        return view.bodyLong(0);
    }

    /** Asserts that {@code call} fails with etcd's {@code code} and exact {@code text}. */
    static void assertStatus(Status.Code code, String text, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), "code of: " + e.getStatus().getDescription());
        assertEquals(text, e.getStatus().getDescription());
    }
}
