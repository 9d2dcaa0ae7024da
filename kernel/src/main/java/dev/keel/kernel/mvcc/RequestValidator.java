package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.DeleteRangeRequest;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.kernel.mvcc.codec.TxnCompare;
import dev.keel.kernel.mvcc.codec.TxnRequest;
import dev.keel.kernel.mvcc.lease.LeaseTable;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The checks etcd's gRPC layer makes before proposing ({@code v3rpc/key.go}, {@code v3_server.go}), in the
 * same order, with the same errors: request size, empty keys, sort options, ignore_value/ignore_lease with a
 * value/lease, too many txn ops (with etcd's shrinking budget for nested txns), duplicate keys in a txn,
 * lease TTL too large; plus Keel's own check that the bytes decode at all. Validating puts, ranges, deletes
 * and txns without nested txns allocates nothing; the duplicate-key check of nested txns uses temporary lists.
 */
public final class RequestValidator {
    private final int maxRequestBytes;
    private final int maxTxnOps;
    private final List<Level> levels = new ArrayList<>();
    private final TxnIntervals intervals = new TxnIntervals();
    private final dev.keel.kernel.auth.wire.AuthEnvelope envelope = new dev.keel.kernel.auth.wire.AuthEnvelope();
    private final dev.keel.kernel.auth.wire.AuthRequestView authRequest =
            new dev.keel.kernel.auth.wire.AuthRequestView();

    private static final class Level {
        final PutRequest put = new PutRequest();
        final RangeRequest range = new RangeRequest();
        final DeleteRangeRequest delete = new DeleteRangeRequest();
        final TxnRequest txn = new TxnRequest();
        final TxnCompare compare = new TxnCompare();
    }

    /**
     * @param maxRequestBytes etcd's request size limit
     * @param maxTxnOps       etcd's limit of ops per txn level
     */
    public RequestValidator(int maxRequestBytes, int maxTxnOps) {
        this.maxRequestBytes = maxRequestBytes;
        this.maxTxnOps = maxTxnOps;
    }

    /** @return {@link MvccError#OK} or the error etcd answers the request with */
    public MvccError validate(DirectBuffer buffer, int offset, int length) {
        if (length > maxRequestBytes) {
            return MvccError.REQUEST_TOO_LARGE;
        }
        int type = RequestType.typeOf(buffer, offset, length);
        switch (type) {
            case RequestType.PUT:
            case RequestType.RANGE:
            case RequestType.DELETE_RANGE:
                return checkOp(type, buffer, offset, length, 0, maxTxnOps);
            case RequestType.TXN: {
                TxnRequest txn = level(0).txn;
                if (!txn.wrap(buffer, offset, length)) {
                    return MvccError.MALFORMED_REQUEST;
                }
                MvccError error = checkTxn(txn, 0, maxTxnOps);
                return error != MvccError.OK ? error : intervals.check(txn);
            }
            case RequestType.AUTH:
                return authRequest.wrap(buffer, offset, length) ? MvccError.OK : MvccError.MALFORMED_REQUEST;
            case RequestType.AUTHED: {
                // One envelope only: the inner request is a client request, never another envelope.
                if (!envelope.wrap(buffer, offset, length) || RequestType.typeOf(buffer, envelope.innerAt(),
                        envelope.innerLength()) == RequestType.AUTHED) {
                    return MvccError.MALFORMED_REQUEST;
                }
                return validate(buffer, envelope.innerAt(), envelope.innerLength());
            }
            case RequestType.LEASE_GRANT:
                if (!SmallRequests.wellFormed(buffer, offset, length, type)) {
                    return MvccError.MALFORMED_REQUEST;
                }
                return SmallRequests.firstLong(buffer, offset) > LeaseTable.MAX_TTL
                        ? MvccError.LEASE_TTL_TOO_LARGE : MvccError.OK;
            default:
                return SmallRequests.wellFormed(buffer, offset, length, type)
                        ? MvccError.OK : MvccError.MALFORMED_REQUEST;
        }
    }

    private MvccError checkOp(int type, DirectBuffer buffer, int offset, int length, int depth, int opBudget) {
        Level level = level(depth);
        switch (type) {
            case RequestType.PUT: {
                PutRequest put = level.put;
                if (!put.wrap(buffer, offset, length)) {
                    return MvccError.MALFORMED_REQUEST;
                }
                if (put.keyLength() == 0) {
                    return MvccError.EMPTY_KEY;
                }
                if (put.ignoreValue() && put.valueLength() != 0) {
                    return MvccError.VALUE_PROVIDED;
                }
                return put.ignoreLease() && put.lease() != 0 ? MvccError.LEASE_PROVIDED : MvccError.OK;
            }
            case RequestType.RANGE: {
                RangeRequest range = level.range;
                if (!range.wrap(buffer, offset, length)) {
                    return MvccError.MALFORMED_REQUEST;
                }
                if (range.keyLength() == 0) {
                    return MvccError.EMPTY_KEY;
                }
                boolean sortOk = range.sortOrder() >= RangeRequest.SORT_NONE
                        && range.sortOrder() <= RangeRequest.SORT_DESCEND
                        && range.sortTarget() >= RangeRequest.TARGET_KEY
                        && range.sortTarget() <= RangeRequest.TARGET_VALUE;
                return sortOk ? MvccError.OK : MvccError.INVALID_SORT_OPTION;
            }
            case RequestType.DELETE_RANGE: {
                DeleteRangeRequest delete = level.delete;
                if (!delete.wrap(buffer, offset, length)) {
                    return MvccError.MALFORMED_REQUEST;
                }
                return delete.keyLength() == 0 ? MvccError.EMPTY_KEY : MvccError.OK;
            }
            case RequestType.TXN: {
                TxnRequest txn = level(depth + 1).txn;
                return txn.wrap(buffer, offset, length) ? checkTxn(txn, depth + 1, opBudget)
                        : MvccError.MALFORMED_REQUEST;
            }
            default:
                return MvccError.MALFORMED_REQUEST;
        }
    }

    /** etcd's {@code checkTxnRequest}: nested txns get the budget left after this level's op count. */
    private MvccError checkTxn(TxnRequest txn, int depth, int opBudget) {
        int ops = Math.max(txn.compareCount(), Math.max(txn.successCount(), txn.failureCount()));
        if (ops > opBudget) {
            return MvccError.TOO_MANY_OPS;
        }
        TxnCompare compare = level(depth).compare;
        int p = txn.comparesAt();
        for (int i = 0; i < txn.compareCount(); i++) {
            p = compare.wrap(txn.buffer(), p);
            if (compare.keyLength() == 0) {
                return MvccError.EMPTY_KEY;
            }
        }
        for (int branch = 0; branch < 2; branch++) {
            boolean success = branch == 0;
            int op = txn.opsAt(success);
            for (int i = 0; i < txn.opCount(success); i++) {
                int at = TxnRequest.opRequestOffset(op);
                int length = txn.opRequestLength(op);
                MvccError error = checkOp(RequestType.typeOf(txn.buffer(), at, length), txn.buffer(), at, length,
                        depth, opBudget - ops);
                if (error != MvccError.OK) {
                    return error;
                }
                op = txn.opEnd(op);
            }
        }
        return MvccError.OK;
    }

    private Level level(int depth) {
        while (levels.size() <= depth) {
            levels.add(new Level());
        }
        return levels.get(depth);
    }
}
