package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.DeleteRangeRequest;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.RequestView;
import dev.keel.kernel.mvcc.codec.TxnRequest;
import dev.keel.kernel.mvcc.store.ByteCompare;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * etcd 3.4's {@code checkIntervals}: within one txn the same key may not be put twice, nor put and deleted,
 * except that the success and failure branches of a nested txn may put the same key (only one runs). One
 * deliberate difference: a delete whose range end is {@code "\0"} (every key from the start key) counts as
 * reaching every later key, where etcd's interval tree treats {@code "\0"} literally and lets a put and a
 * delete of the same key through.
 */
final class TxnIntervals {
    private final PutRequest put = new PutRequest();
    private final PutRequest otherPut = new PutRequest();
    private final DeleteRangeRequest delete = new DeleteRangeRequest();

    /** A put key or delete interval, viewed in the request's buffer. */
    private static final class Span {
        final DirectBuffer buffer;
        final int keyOffset;
        final int keyLength;
        final int endOffset;
        /** -1: a single key; -2: unbounded; else the end's length. */
        final int endLength;

        Span(DirectBuffer buffer, int keyOffset, int keyLength, int endOffset, int endLength) {
            this.buffer = buffer;
            this.keyOffset = keyOffset;
            this.keyLength = keyLength;
            this.endOffset = endOffset;
            this.endLength = endLength;
        }

        boolean sameKey(Span other) {
            return ByteCompare.equal(buffer, keyOffset, keyLength, other.buffer, other.keyOffset, other.keyLength);
        }

        boolean contains(Span point) {
            int fromStart = ByteCompare.compare(point.buffer, point.keyOffset, point.keyLength,
                    buffer, keyOffset, keyLength);
            if (endLength == -1) {
                return fromStart == 0;
            }
            return fromStart >= 0 && (endLength == -2 || ByteCompare.compare(point.buffer, point.keyOffset,
                    point.keyLength, buffer, endOffset, endLength) < 0);
        }
    }

    private static final class Result {
        final List<Span> puts = new ArrayList<>();
        final List<Span> dels = new ArrayList<>();
        boolean duplicate;
    }

    /** @return {@link MvccError#DUPLICATE_KEY} if either branch of the (well-formed) txn writes a key twice */
    MvccError check(TxnRequest txn) {
        boolean duplicate = duplicateIn(txn, true) || duplicateIn(txn, false);
        return duplicate ? MvccError.DUPLICATE_KEY : MvccError.OK;
    }

    private boolean duplicateIn(TxnRequest txn, boolean success) {
        int op = txn.opsAt(success);
        for (int i = 0; i < txn.opCount(success); i++) {
            if (RequestType.typeOf(txn.buffer(), TxnRequest.opRequestOffset(op), txn.opRequestLength(op))
                    == RequestType.TXN) {
                return collect(txn, success).duplicate;
            }
            op = txn.opEnd(op);
        }
        return flatDuplicate(txn, success);
    }

    /** The common case, a branch without nested txns: pairwise checks over the ops, allocating nothing. */
    private boolean flatDuplicate(TxnRequest txn, boolean success) {
        DirectBuffer buffer = txn.buffer();
        int first = txn.opsAt(success);
        int count = txn.opCount(success);
        int op = first;
        for (int i = 0; i < count; i++, op = txn.opEnd(op)) {
            if (!wrapIf(put, RequestType.PUT, txn, op)) {
                continue;
            }
            int other = first;
            for (int j = 0; j < count; j++, other = txn.opEnd(other)) {
                if (j > i && wrapIf(otherPut, RequestType.PUT, txn, other) && ByteCompare.equal(buffer,
                        put.keyOffset(), put.keyLength(), buffer, otherPut.keyOffset(), otherPut.keyLength())) {
                    return true;
                }
                if (wrapIf(delete, RequestType.DELETE_RANGE, txn, other) && deletes(delete, buffer, put.keyOffset(),
                        put.keyLength())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean wrapIf(RequestView view, int type, TxnRequest txn, int op) {
        int at = TxnRequest.opRequestOffset(op);
        int length = txn.opRequestLength(op);
        return RequestType.typeOf(txn.buffer(), at, length) == type && view.wrap(txn.buffer(), at, length);
    }

    private static boolean deletes(DeleteRangeRequest d, DirectBuffer buffer, int keyOffset, int keyLength) {
        int fromStart = ByteCompare.compare(buffer, keyOffset, keyLength, buffer, d.keyOffset(), d.keyLength());
        if (d.rangeEndLength() == 0) {
            return fromStart == 0;
        }
        return fromStart >= 0 && (isNul(buffer, d.rangeEndOffset(), d.rangeEndLength())
                || ByteCompare.compare(buffer, keyOffset, keyLength, buffer, d.rangeEndOffset(), d.rangeEndLength()) < 0);
    }

    private static Result collect(TxnRequest txn, boolean success) {
        Result result = new Result();
        DirectBuffer buffer = txn.buffer();
        int op = txn.opsAt(success);
        List<Integer> nested = new ArrayList<>();
        List<Integer> puts = new ArrayList<>();
        for (int i = 0; i < txn.opCount(success); i++) {
            int at = TxnRequest.opRequestOffset(op);
            int length = txn.opRequestLength(op);
            int type = RequestType.typeOf(buffer, at, length);
            if (type == RequestType.DELETE_RANGE) {
                DeleteRangeRequest delete = new DeleteRangeRequest();
                delete.wrap(buffer, at, length);
                int endLength = delete.rangeEndLength() == 0 ? -1
                        : isNul(buffer, delete.rangeEndOffset(), delete.rangeEndLength()) ? -2 : delete.rangeEndLength();
                result.dels.add(new Span(buffer, delete.keyOffset(), delete.keyLength(), delete.rangeEndOffset(),
                        endLength));
            } else if (type == RequestType.TXN) {
                nested.add(op);
            } else if (type == RequestType.PUT) {
                puts.add(op);
            }
            op = txn.opEnd(op);
        }
        for (int nestedOp : nested) {
            TxnRequest child = new TxnRequest();
            child.wrap(buffer, TxnRequest.opRequestOffset(nestedOp), txn.opRequestLength(nestedOp));
            Result then = collect(child, true);
            Result otherwise = collect(child, false);
            if (then.duplicate || otherwise.duplicate) {
                result.duplicate = true;
                return result;
            }
            List<Span> thenPuts = new ArrayList<>(then.puts);
            for (Span k : then.puts) {
                if (addPut(result, k, null)) {
                    return result;
                }
            }
            for (Span k : otherwise.puts) {
                if (addPut(result, k, thenPuts)) {
                    return result;
                }
            }
            result.dels.addAll(then.dels);
            result.dels.addAll(otherwise.dels);
        }
        for (int putOp : puts) {
            PutRequest put = new PutRequest();
            put.wrap(buffer, TxnRequest.opRequestOffset(putOp), txn.opRequestLength(putOp));
            if (addPut(result, new Span(buffer, put.keyOffset(), put.keyLength(), 0, -1), null)) {
                return result;
            }
        }
        return result;
    }

    /** Adds a put key; returns true (and flags the result) if it collides. */
    private static boolean addPut(Result result, Span key, List<Span> safe) {
        boolean present = false;
        for (Span existing : result.puts) {
            if (existing.sameKey(key)) {
                if (safe == null || !containsKey(safe, key)) {
                    result.duplicate = true;
                    return true;
                }
                present = true;
            }
        }
        for (Span del : result.dels) {
            if (del.contains(key)) {
                result.duplicate = true;
                return true;
            }
        }
        if (!present) {
            result.puts.add(key);
        }
        return false;
    }

    private static boolean containsKey(List<Span> keys, Span key) {
        for (Span k : keys) {
            if (k.sameKey(key)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNul(DirectBuffer buffer, int offset, int length) {
        return length == 1 && buffer.getByte(offset) == 0;
    }

}
