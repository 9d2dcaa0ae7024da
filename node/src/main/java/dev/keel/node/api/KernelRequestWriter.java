package dev.keel.node.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.keel.kernel.mvcc.codec.TxnCompare;
import dev.keel.kernel.mvcc.codec.TxnEncoder;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes etcd's protobuf requests in the kernel's encoding ({@code dev.keel.kernel.mvcc.codec}). It assumes
 * the request already passed {@link EtcdChecks}; it judges nothing itself. Byte fields are staged in one
 * reusable scratch array because the kernel's encoders read from a {@code DirectBuffer}. Not thread-safe.
 */
final class KernelRequestWriter {
    /**
     * A compare result or target the kernel does not know. etcd 3.4 treats an unknown target as "equal" and an
     * unknown result as "holds"; the kernel's evaluator does the same for any number outside its constants,
     * but the field is one byte, so a large protobuf number must not wrap onto a known one.
     */
    static final int UNKNOWN_ENUM = 0x7F;
    /** etcd's {@code Compare.lease} (field 8), absent from jetcd-grpc 0.8.5's older proto. */
    static final int COMPARE_LEASE_FIELD = 8;

    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[256]);
    private final dev.keel.kernel.mvcc.codec.RangeRequest.Options options =
            new dev.keel.kernel.mvcc.codec.RangeRequest.Options();
    /** One encoder per nesting depth: a nested txn is written while its parent's encoder is open. */
    private final List<TxnEncoder> encoders = new ArrayList<>();

    /** Writes a Range at {@code at}; returns its length. */
    int range(RangeRequest r, MutableDirectBuffer out, int at) {
        options.reset();
        options.limit = r.getLimit();
        options.revision = r.getRevision();
        options.sortOrder = r.getSortOrderValue();
        options.sortTarget = r.getSortTargetValue();
        options.minModRevision = r.getMinModRevision();
        options.maxModRevision = r.getMaxModRevision();
        options.minCreateRevision = r.getMinCreateRevision();
        options.maxCreateRevision = r.getMaxCreateRevision();
        options.flags = (r.getKeysOnly() ? dev.keel.kernel.mvcc.codec.RangeRequest.KEYS_ONLY : 0)
                | (r.getCountOnly() ? dev.keel.kernel.mvcc.codec.RangeRequest.COUNT_ONLY : 0)
                | (r.getSerializable() ? dev.keel.kernel.mvcc.codec.RangeRequest.SERIALIZABLE : 0);
        int keyLength = stage(r.getKey(), r.getRangeEnd(), ByteString.EMPTY);
        return dev.keel.kernel.mvcc.codec.RangeRequest.encode(out, at, scratch, 0, keyLength,
                scratch, keyLength, r.getRangeEnd().size(), options);
    }

    /** Writes a Put at {@code at}; returns its length. */
    int put(PutRequest r, MutableDirectBuffer out, int at) {
        int flags = (r.getPrevKv() ? dev.keel.kernel.mvcc.codec.PutRequest.PREV_KV : 0)
                | (r.getIgnoreValue() ? dev.keel.kernel.mvcc.codec.PutRequest.IGNORE_VALUE : 0)
                | (r.getIgnoreLease() ? dev.keel.kernel.mvcc.codec.PutRequest.IGNORE_LEASE : 0);
        int keyLength = stage(r.getKey(), r.getValue(), ByteString.EMPTY);
        return dev.keel.kernel.mvcc.codec.PutRequest.encode(out, at, scratch, 0, keyLength,
                scratch, keyLength, r.getValue().size(), r.getLease(), flags);
    }

    /** Writes a DeleteRange at {@code at}; returns its length. */
    int delete(DeleteRangeRequest r, MutableDirectBuffer out, int at) {
        int flags = r.getPrevKv() ? dev.keel.kernel.mvcc.codec.DeleteRangeRequest.PREV_KV : 0;
        int keyLength = stage(r.getKey(), r.getRangeEnd(), ByteString.EMPTY);
        return dev.keel.kernel.mvcc.codec.DeleteRangeRequest.encode(out, at, scratch, 0, keyLength,
                scratch, keyLength, r.getRangeEnd().size(), flags);
    }

    /** Writes a Txn (nested txns included) at {@code at}; returns its length. */
    int txn(TxnRequest r, MutableDirectBuffer out, int at) {
        return txn(r, out, at, 0);
    }

    private int txn(TxnRequest r, MutableDirectBuffer out, int at, int depth) {
        TxnEncoder encoder = encoder(depth).begin(out, at);
        for (Compare c : r.getCompareList()) {
            compare(c, encoder);
        }
        encoder.success();
        for (RequestOp op : r.getSuccessList()) {
            encoder.opEnd(op(op, out, encoder.opStart(), depth));
        }
        encoder.failure();
        for (RequestOp op : r.getFailureList()) {
            encoder.opEnd(op(op, out, encoder.opStart(), depth));
        }
        return encoder.end();
    }

    private int op(RequestOp op, MutableDirectBuffer out, int at, int depth) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE:
                return range(op.getRequestRange(), out, at);
            case REQUEST_PUT:
                return put(op.getRequestPut(), out, at);
            case REQUEST_DELETE_RANGE:
                return delete(op.getRequestDeleteRange(), out, at);
            case REQUEST_TXN:
                return txn(op.getRequestTxn(), out, at, depth + 1);
            default:
                // EtcdChecks answers "key not found" for an empty op before anything is written.
                throw new IllegalStateException("an empty RequestOp reached the writer unchecked");
        }
    }

    /**
     * etcd 3.4's {@code compareKV} reads the operand from the target union only when the union holds the
     * compared target; otherwise it compares against 0 (or the empty value). The kernel's encoding has one
     * operand and one value, so the mismatch is resolved here the same way.
     */
    private void compare(Compare c, TxnEncoder encoder) {
        int target = c.getTargetValue();
        long operand = 0;
        ByteString value = ByteString.EMPTY;
        switch (target) {
            case TxnCompare.VERSION:
                operand = c.getTargetUnionCase() == Compare.TargetUnionCase.VERSION ? c.getVersion() : 0;
                break;
            case TxnCompare.CREATE:
                operand = c.getTargetUnionCase() == Compare.TargetUnionCase.CREATE_REVISION
                        ? c.getCreateRevision() : 0;
                break;
            case TxnCompare.MOD:
                operand = c.getTargetUnionCase() == Compare.TargetUnionCase.MOD_REVISION ? c.getModRevision() : 0;
                break;
            case TxnCompare.VALUE:
                value = c.getTargetUnionCase() == Compare.TargetUnionCase.VALUE ? c.getValue() : ByteString.EMPTY;
                break;
            case TxnCompare.LEASE:
                operand = c.getTargetUnionCase() == Compare.TargetUnionCase.TARGETUNION_NOT_SET ? lease(c) : 0;
                break;
            default:
                target = UNKNOWN_ENUM;
                break;
        }
        int result = c.getResultValue();
        if (result < TxnCompare.EQUAL || result > TxnCompare.NOT_EQUAL) {
            result = UNKNOWN_ENUM;
        }
        int keyLength = stage(c.getKey(), c.getRangeEnd(), value);
        int endLength = c.getRangeEnd().size();
        encoder.compare(result, target, operand, scratch, 0, keyLength, scratch, keyLength, endLength,
                scratch, keyLength + endLength, value.size());
    }

    /** The lease of a LEASE compare, carried as an unknown field by jetcd's proto; the last one wins, as in Go. */
    private static long lease(Compare c) {
        UnknownFieldSet.Field field = c.getUnknownFields().getField(COMPARE_LEASE_FIELD);
        List<Long> values = field.getVarintList();
        return values.isEmpty() ? 0 : values.get(values.size() - 1);
    }

    /** Copies up to three byte fields one after the other into the scratch buffer; returns the first's length. */
    private int stage(ByteString first, ByteString second, ByteString third) {
        long total = (long) first.size() + second.size() + third.size();
        if (total > scratch.capacity()) {
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("request fields of " + total + " bytes cannot be encoded");
            }
            scratch.wrap(new byte[(int) Math.max(total, Math.min(Integer.MAX_VALUE - 8, 2L * scratch.capacity()))]);
        }
        byte[] bytes = scratch.byteArray();
        first.copyTo(bytes, 0);
        second.copyTo(bytes, first.size());
        third.copyTo(bytes, first.size() + second.size());
        return first.size();
    }

    private TxnEncoder encoder(int depth) {
        while (encoders.size() <= depth) {
            encoders.add(new TxnEncoder());
        }
        return encoders.get(depth);
    }
}
