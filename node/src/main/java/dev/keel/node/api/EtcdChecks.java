package dev.keel.node.api;

import com.google.protobuf.CodedOutputStream;
import dev.keel.kernel.mvcc.MvccError;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;

/**
 * The checks etcd 3.4 makes on a KV request before it reaches the store, on the protobuf itself and in etcd's
 * order: {@code v3rpc/key.go} ({@code checkRangeRequest}, {@code checkPutRequest}, {@code checkDeleteRequest},
 * {@code checkTxnRequest}, {@code checkRequestOp}) and the size rule of {@code v3_server.go}
 * ({@code processInternalRaftRequestOnce}). The duplicate-key rule ({@code checkIntervals}) is left to the
 * kernel's own validator so the host and the store can never disagree on it.
 */
final class EtcdChecks {
    /**
     * Bytes etcd adds around a request when it wraps it for Raft: the {@code InternalRaftRequest} header (field
     * 100, a two-byte tag, a length byte, and a {@code RequestHeader} holding the request ID as a one-byte tag
     * and a nine-byte varint). Measured on etcd 3.4.23: with key "k" the largest accepted value is 1,572,840
     * bytes under the 1,572,864-byte limit, which this constant reproduces exactly, for a member whose ID has
     * bit 15 clear; {@link #raftHeaderBytes(long)} gives it for any member.
     */
    static final int RAFT_HEADER_BYTES = 13;
    /** The header without the request ID's varint: field 100's tag and length, the ID's own tag. */
    private static final int RAFT_HEADER_FIXED_BYTES = 4;
    /** etcd's request IDs end in 40 bits of time and counter; taken as all set, the common case. */
    private static final long REQUEST_ID_SUFFIX = (1L << 40) - 1;

    private EtcdChecks() {
    }

    /**
     * etcd numbers each request it proposes with an ID whose top 16 bits are the low 16 bits of the proposing
     * member's ID ({@code idutil.NewGenerator(uint16(id), now)}), so the varint of that ID, and with it the size
     * etcd compares with {@code --max-request-bytes}, depends on the member: 10 bytes when bit 15 of the member ID
     * is set, 9 bytes usually, fewer when bits 7 to 15 are all clear. Observed on etcd 3.4.23: a member with bit
     * 15 set refuses the 1,572,840-byte value that {@link #RAFT_HEADER_BYTES} accepts.
     *
     * @return the header bytes etcd adds to the requests that member {@code memberId} proposes
     */
    static int raftHeaderBytes(long memberId) {
        long requestId = ((memberId & 0xFFFFL) << 48) | REQUEST_ID_SUFFIX;
        return RAFT_HEADER_FIXED_BYTES + CodedOutputStream.computeUInt64SizeNoTag(requestId);
    }

    /**
     * etcd's {@code checkRangeRequest}. etcd 3.5+ also refuses unknown sort orders and targets with
     * "invalid sort option"; etcd 3.4.23 sorts nothing for an unknown order and crashes on an unknown target,
     * so Keel follows the later versions (and its kernel refuses the same requests).
     */
    static MvccError range(RangeRequest r) {
        if (r.getKey().isEmpty()) {
            return MvccError.EMPTY_KEY;
        }
        int order = r.getSortOrderValue();
        int target = r.getSortTargetValue();
        boolean known = order >= dev.keel.kernel.mvcc.codec.RangeRequest.SORT_NONE
                && order <= dev.keel.kernel.mvcc.codec.RangeRequest.SORT_DESCEND
                && target >= dev.keel.kernel.mvcc.codec.RangeRequest.TARGET_KEY
                && target <= dev.keel.kernel.mvcc.codec.RangeRequest.TARGET_VALUE;
        return known ? MvccError.OK : MvccError.INVALID_SORT_OPTION;
    }

    /** etcd's {@code checkPutRequest}. */
    static MvccError put(PutRequest r) {
        if (r.getKey().isEmpty()) {
            return MvccError.EMPTY_KEY;
        }
        if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
            return MvccError.VALUE_PROVIDED;
        }
        if (r.getIgnoreLease() && r.getLease() != 0) {
            return MvccError.LEASE_PROVIDED;
        }
        return MvccError.OK;
    }

    /** etcd's {@code checkDeleteRequest}. */
    static MvccError delete(DeleteRangeRequest r) {
        return r.getKey().isEmpty() ? MvccError.EMPTY_KEY : MvccError.OK;
    }

    /**
     * etcd's {@code checkTxnRequest}: at most {@code opBudget} compares and ops per branch; a nested txn gets
     * the budget left after its parent's widest list; compares need a key; ops are checked in order, success
     * branch first.
     */
    static MvccError txn(TxnRequest r, int opBudget) {
        int widest = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
        if (widest > opBudget) {
            return MvccError.TOO_MANY_OPS;
        }
        for (Compare c : r.getCompareList()) {
            if (c.getKey().isEmpty()) {
                return MvccError.EMPTY_KEY;
            }
        }
        for (RequestOp op : r.getSuccessList()) {
            MvccError error = op(op, opBudget - widest);
            if (error != MvccError.OK) {
                return error;
            }
        }
        for (RequestOp op : r.getFailureList()) {
            MvccError error = op(op, opBudget - widest);
            if (error != MvccError.OK) {
                return error;
            }
        }
        return MvccError.OK;
    }

    /** etcd's {@code checkRequestOp}: an op with no request set is answered "key not found". */
    private static MvccError op(RequestOp op, int opBudget) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE:
                return range(op.getRequestRange());
            case REQUEST_PUT:
                return put(op.getRequestPut());
            case REQUEST_DELETE_RANGE:
                return delete(op.getRequestDeleteRange());
            case REQUEST_TXN:
                return txn(op.getRequestTxn(), opBudget);
            default:
                return MvccError.KEY_NOT_FOUND;
        }
    }

    /**
     * etcd's {@code isTxnReadonly}: a txn whose top-level ops are all ranges is served without Raft, so the
     * request size limit never applies to it (a nested txn counts as a write).
     */
    static boolean readOnly(TxnRequest r) {
        return allRanges(r, false);
    }

    /**
     * etcd's {@code isTxnSerializable}: a read-only txn whose every range is serializable is served from this
     * member's store at once, without a ReadIndex round.
     */
    static boolean serializable(TxnRequest r) {
        return allRanges(r, true);
    }

    private static boolean allRanges(TxnRequest r, boolean serializable) {
        for (RequestOp op : r.getSuccessList()) {
            if (!isRange(op, serializable)) {
                return false;
            }
        }
        for (RequestOp op : r.getFailureList()) {
            if (!isRange(op, serializable)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isRange(RequestOp op, boolean serializable) {
        return op.getRequestCase() == RequestOp.RequestCase.REQUEST_RANGE
                && (!serializable || op.getRequestRange().getSerializable());
    }

    /**
     * @param requestBytes serialized size of the Put, DeleteRange, Txn or Compaction request
     * @param headerBytes  the proposing member's {@link #raftHeaderBytes(long)}
     * @return the size of the {@code InternalRaftRequest} etcd would compare with {@code --max-request-bytes}
     *         (the request as a one-byte-tag field plus the header)
     */
    static long raftRequestBytes(int requestBytes, int headerBytes) {
        return headerBytes + 1L + CodedOutputStream.computeUInt32SizeNoTag(requestBytes) + requestBytes;
    }

    /** {@link #raftRequestBytes(int, int)} with {@link #RAFT_HEADER_BYTES}. */
    static long raftRequestBytes(int requestBytes) {
        return raftRequestBytes(requestBytes, RAFT_HEADER_BYTES);
    }
}
