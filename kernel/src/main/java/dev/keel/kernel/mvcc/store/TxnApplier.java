package dev.keel.kernel.mvcc.store;

import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.codec.DeleteRangeRequest;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.TxnCompare;
import dev.keel.kernel.mvcc.codec.TxnRequest;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayList;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a Txn the way etcd 3.4 does: first every compare on the path taken (nested txns included) is
 * evaluated against the store as it was before the txn; then the puts and ranges on that path are checked
 * (lease exists, key exists for ignore_value/ignore_lease, range revision readable), and only then are the
 * ops executed in order, reads inside the txn seeing its earlier writes. A txn that writes takes one
 * revision; nested txn responses carry an empty header (revision 0), as etcd's do.
 */
public final class TxnApplier {
    private final Keyspace keyspace;
    private final RangeReader reader;
    private final WriteOps writes;
    private final RangeScan scan;
    private final List<Level> levels = new ArrayList<>();
    private final IntArrayList path = new IntArrayList();
    private int pathCursor;

    /** Decoders for one nesting depth, reused across txns. */
    private static final class Level {
        final TxnRequest txn = new TxnRequest();
        final TxnCompare compare = new TxnCompare();
        final PutRequest put = new PutRequest();
        final RangeRequest range = new RangeRequest();
        final DeleteRangeRequest delete = new DeleteRangeRequest();
    }

    public TxnApplier(Keyspace keyspace, RangeReader reader, WriteOps writes) {
        this.keyspace = keyspace;
        this.reader = reader;
        this.writes = writes;
        this.scan = new RangeScan(keyspace.keys());
    }

    /** @return the reusable Txn decoder of the top level */
    public TxnRequest topLevel() {
        return level(0).txn;
    }

    /**
     * Applies the (validated) txn wrapped by {@link #topLevel()}; writes the response at {@code at}.
     *
     * @return the response length
     */
    public int apply(MutableDirectBuffer out, int at) {
        TxnRequest txn = topLevel();
        path.clear();
        evaluatePath(txn, 0);
        pathCursor = 0;
        MvccError error = checkPath(txn, 0, true);
        if (error == MvccError.OK) {
            pathCursor = 0;
            error = checkPath(txn, 0, false);
        }
        if (error != MvccError.OK) {
            return ResponseLayout.writeError(out, at, RequestType.TXN, error.wireId(), keyspace.currentRevision());
        }
        boolean write = writes(txn, 0);
        if (write) {
            keyspace.beginWrite();
        }
        pathCursor = 0;
        int length = execute(txn, 0, out, at);
        long revision = write ? keyspace.endWrite() : keyspace.currentRevision();
        out.putLong(at + ResponseLayout.REVISION_OFFSET, revision);
        return length;
    }

    private Level level(int depth) {
        while (levels.size() <= depth) {
            levels.add(new Level());
        }
        return levels.get(depth);
    }

    private void evaluatePath(TxnRequest txn, int depth) {
        boolean succeeded = comparesHold(txn, level(depth).compare);
        path.addInt(succeeded ? 1 : 0);
        int op = txn.opsAt(succeeded);
        for (int i = 0; i < txn.opCount(succeeded); i++) {
            if (opType(txn, op) == RequestType.TXN) {
                evaluatePath(wrapNested(txn, op, depth), depth + 1);
            }
            op = txn.opEnd(op);
        }
    }

    private TxnRequest wrapNested(TxnRequest txn, int op, int depth) {
        TxnRequest nested = level(depth + 1).txn;
        nested.wrap(txn.buffer(), TxnRequest.opRequestOffset(op), txn.opRequestLength(op));
        return nested;
    }

    private static int opType(TxnRequest txn, int op) {
        return RequestType.typeOf(txn.buffer(), TxnRequest.opRequestOffset(op), txn.opRequestLength(op));
    }

    private boolean comparesHold(TxnRequest txn, TxnCompare compare) {
        int p = txn.comparesAt();
        for (int i = 0; i < txn.compareCount(); i++) {
            p = compare.wrap(txn.buffer(), p);
            if (!holds(compare, txn.buffer())) {
                return false;
            }
        }
        return true;
    }

    private boolean holds(TxnCompare c, DirectBuffer buffer) {
        long revision = keyspace.currentRevision();
        boolean any = false;
        for (int slot = scan.first(buffer, c.keyOffset(), c.keyLength(), c.rangeEndOffset(), c.rangeEndLength());
                slot != KeyIndex.NIL; slot = scan.next()) {
            int record = keyspace.visible(slot, revision);
            if (record == RevisionRecords.NIL) {
                continue;
            }
            any = true;
            if (!CompareEvaluator.matches(c, buffer, keyspace.records(), record)) {
                return false;
            }
        }
        // No key: etcd compares against an empty kv, except that a VALUE compare always fails.
        return any || (c.target() != TxnCompare.VALUE
                && CompareEvaluator.matches(c, buffer, keyspace.records(), RevisionRecords.NIL));
    }

    private MvccError checkPath(TxnRequest txn, int depth, boolean puts) {
        boolean succeeded = path.getInt(pathCursor++) == 1;
        Level level = level(depth);
        int op = txn.opsAt(succeeded);
        for (int i = 0; i < txn.opCount(succeeded); i++) {
            int type = opType(txn, op);
            int requestAt = TxnRequest.opRequestOffset(op);
            MvccError error = MvccError.OK;
            if (type == RequestType.TXN) {
                error = checkPath(wrapNested(txn, op, depth), depth + 1, puts);
            } else if (puts && type == RequestType.PUT) {
                level.put.wrap(txn.buffer(), requestAt, txn.opRequestLength(op));
                error = writes.checkPut(level.put, false);
            } else if (!puts && type == RequestType.RANGE) {
                level.range.wrap(txn.buffer(), requestAt, txn.opRequestLength(op));
                error = reader.checkRevision(level.range.revision(), keyspace.currentRevision());
            }
            if (error != MvccError.OK) {
                return error;
            }
            op = txn.opEnd(op);
        }
        return MvccError.OK;
    }

    /** @return whether any branch, at any depth, puts or deletes (etcd's {@code !isTxnReadonly}) */
    public boolean writes(TxnRequest txn, int depth) {
        for (int branch = 0; branch < 2; branch++) {
            boolean success = branch == 0;
            int op = txn.opsAt(success);
            for (int i = 0; i < txn.opCount(success); i++) {
                int type = opType(txn, op);
                if (type == RequestType.PUT || type == RequestType.DELETE_RANGE
                        || (type == RequestType.TXN && writes(wrapNested(txn, op, depth), depth + 1))) {
                    return true;
                }
                op = txn.opEnd(op);
            }
        }
        return false;
    }

    /** @return etcd's {@code costTxn}: the larger branch's total put cost, nested txns included */
    public long putCost(TxnRequest txn, int depth) {
        long most = 0;
        for (int branch = 0; branch < 2; branch++) {
            boolean success = branch == 0;
            long cost = 0;
            int op = txn.opsAt(success);
            for (int i = 0; i < txn.opCount(success); i++) {
                int type = opType(txn, op);
                if (type == RequestType.PUT) {
                    PutRequest put = level(depth).put;
                    put.wrap(txn.buffer(), TxnRequest.opRequestOffset(op), txn.opRequestLength(op));
                    cost += SpaceLedger.cost(put.keyLength(), put.valueLength());
                } else if (type == RequestType.TXN) {
                    cost += putCost(wrapNested(txn, op, depth), depth + 1);
                }
                op = txn.opEnd(op);
            }
            most = Math.max(most, cost);
        }
        return most;
    }

    private int execute(TxnRequest txn, int depth, MutableDirectBuffer out, int at) {
        boolean succeeded = path.getInt(pathCursor++) == 1;
        int p = ResponseLayout.writeHeader(out, at, RequestType.TXN, 0,
                succeeded ? ResponseLayout.FLAG_SUCCEEDED : 0, 0);
        out.putInt(p, txn.opCount(succeeded));
        p += Integer.BYTES;
        Level level = level(depth);
        int op = txn.opsAt(succeeded);
        for (int i = 0; i < txn.opCount(succeeded); i++) {
            int requestAt = TxnRequest.opRequestOffset(op);
            int requestLength = txn.opRequestLength(op);
            int type = RequestType.typeOf(txn.buffer(), requestAt, requestLength);
            int responseAt = p + Integer.BYTES;
            int written;
            if (type == RequestType.RANGE) {
                level.range.wrap(txn.buffer(), requestAt, requestLength);
                written = reader.read(level.range, keyspace.readRevision(), out, responseAt);
            } else if (type == RequestType.PUT) {
                level.put.wrap(txn.buffer(), requestAt, requestLength);
                written = writes.put(level.put, out, responseAt);
            } else if (type == RequestType.DELETE_RANGE) {
                level.delete.wrap(txn.buffer(), requestAt, requestLength);
                written = writes.deleteRange(level.delete, out, responseAt);
            } else {
                TxnRequest nested = level(depth + 1).txn;
                nested.wrap(txn.buffer(), requestAt, requestLength);
                written = execute(nested, depth + 1, out, responseAt);
            }
            out.putInt(p, written);
            p = responseAt + written;
            op = txn.opEnd(op);
        }
        return p - at;
    }
}
