package dev.keel.simulator;

import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.codec.DeleteRangeRequest;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.TxnCompare;
import dev.keel.kernel.mvcc.codec.TxnRequest;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference model's transactions: parse the compares and both branches (nested ones included), decide
 * which runs, validate it as etcd does, and execute its operations against the {@link ReferenceStore} — every
 * write at one revision, reads seeing the transaction's own earlier writes.
 */
final class ReferenceTxn {
    private final ReferenceStore store;
    private final PutRequest put = new PutRequest();
    private final DeleteRangeRequest delete = new DeleteRangeRequest();
    private final RangeRequest range = new RangeRequest();
    private final TxnCompare compare = new TxnCompare();

    ReferenceTxn(ReferenceStore store) {
        this.store = store;
    }


    private boolean holds(DirectBuffer b, int at) {
        compare.wrap(b, at);
        String key = store.string(b, compare.keyOffset(), compare.keyLength());
        String end = store.string(b, compare.rangeEndOffset(), compare.rangeEndLength());
        int target = compare.target();
        int result = compare.result();
        long operand = compare.operand();
        String value = store.string(b, compare.valueOffset(), compare.valueLength());
        List<ReferenceStore.Kv> kvs = store.visible(key, end, store.current);
        if (kvs.isEmpty()) {
            return target != TxnCompare.VALUE && compare(target, result, operand, value, new ReferenceStore.Kv(key, 0, 0, 0, 0, ""));
        }
        for (ReferenceStore.Kv kv : kvs) {
            if (!compare(target, result, operand, value, kv)) {
                return false;
            }
        }
        return true;
    }

    private static boolean compare(int target, int result, long operand, String value, ReferenceStore.Kv kv) {
        int r = switch (target) {
            case TxnCompare.VALUE -> Integer.signum(kv.value().compareTo(value));
            case TxnCompare.CREATE -> Long.compare(kv.create(), operand);
            case TxnCompare.MOD -> Long.compare(kv.mod(), operand);
            case TxnCompare.LEASE -> Long.compare(kv.lease(), operand);
            default -> Long.compare(kv.version(), operand);
        };
        return switch (result) {
            case TxnCompare.EQUAL -> r == 0;
            case TxnCompare.NOT_EQUAL -> r != 0;
            case TxnCompare.GREATER -> r > 0;
            default -> r < 0;
        };
    }

    /** A txn's shape, parsed once: which branch runs and its ops (nested txns included). */
    private record TxnPlan(boolean succeeded, List<Object> ops) {
    }

    private record Op(int type, DirectBuffer buffer, int offset, int length) {
    }

    private TxnPlan plan(DirectBuffer b, int offset, int length) {
        TxnRequest t = new TxnRequest();
        t.wrap(b, offset, length);
        boolean ok = true;
        int at = t.comparesAt();
        for (int i = 0; i < t.compareCount(); i++) {
            ok &= holds(b, at);
            at = TxnCompare.end(b, at, offset + length);
        }
        List<Object> ops = new ArrayList<>();
        at = t.opsAt(ok);
        for (int i = 0; i < t.opCount(ok); i++) {
            int opOffset = TxnRequest.opRequestOffset(at);
            int opLength = t.opRequestLength(at);
            int type = RequestType.typeOf(b, opOffset, opLength);
            ops.add(type == RequestType.TXN ? plan(b, opOffset, opLength) : new Op(type, b, opOffset, opLength));
            at = t.opEnd(at);
        }
        return new TxnPlan(ok, ops);
    }

    private MvccError check(TxnPlan plan, boolean puts) {
        for (Object o : plan.ops()) {
            MvccError e = MvccError.OK;
            if (o instanceof TxnPlan nested) {
                e = check(nested, puts);
            } else {
                Op op = (Op) o;
                if (puts && op.type() == RequestType.PUT) {
                    put.wrap(op.buffer(), op.offset(), op.length());
                    e = put.lease() != 0 && !store.leases.containsKey(put.lease()) ? MvccError.LEASE_NOT_FOUND
                            : MvccError.OK;
                } else if (!puts && op.type() == RequestType.RANGE) {
                    range.wrap(op.buffer(), op.offset(), op.length());
                    e = range.revision() > store.current ? MvccError.FUTURE_REVISION
                            : range.revision() > 0 && range.revision() < store.compacted ? MvccError.COMPACTED
                            : MvccError.OK;
                }
            }
            if (e != MvccError.OK) {
                return e;
            }
        }
        return MvccError.OK;
    }

    private static boolean writes(TxnPlan plan) {
        for (Object o : plan.ops()) {
            if (o instanceof TxnPlan nested ? writes(nested)
                    : ((Op) o).type() == RequestType.PUT || ((Op) o).type() == RequestType.DELETE_RANGE) {
                return true;
            }
        }
        return false;
    }

    ReferenceStore.Answer txn(DirectBuffer b, int offset, int length) {
        TxnPlan plan = plan(b, offset, length);
        MvccError e = check(plan, true);
        if (e == MvccError.OK) {
            e = check(plan, false);
        }
        if (e != MvccError.OK) {
            return store.error(RequestType.TXN, e, store.current);
        }
        boolean write = writes(plan);
        if (write) {
            store.begin();
        }
        ReferenceStore.Answer inner = execute(plan);
        if (write) {
            store.end();
        }
        inner.revision = store.current;
        return inner;
    }

    private ReferenceStore.Answer execute(TxnPlan plan) {
        List<ReferenceStore.Answer> out = new ArrayList<>();
        for (Object o : plan.ops()) {
            if (o instanceof TxnPlan nested) {
                ReferenceStore.Answer a = execute(nested);
                a.revision = 0;
                out.add(a);
                continue;
            }
            Op op = (Op) o;
            DirectBuffer b = op.buffer();
            switch (op.type()) {
                case RequestType.PUT:
                    put.wrap(b, op.offset(), op.length());
                    out.add(store.put(store.string(b, put.keyOffset(), put.keyLength()),
                            store.string(b, put.valueOffset(), put.valueLength()), put.lease(), put.prevKv()));
                    break;
                case RequestType.DELETE_RANGE:
                    delete.wrap(b, op.offset(), op.length());
                    out.add(store.delete(store.string(b, delete.keyOffset(), delete.keyLength()),
                            store.string(b, delete.rangeEndOffset(), delete.rangeEndLength()), delete.prevKv()));
                    break;
                default:
                    range.wrap(b, op.offset(), op.length());
                    out.add(store.range(range, store.readRev(), store.compacted));
                    break;
            }
        }
        ReferenceStore.Answer a = new ReferenceStore.Answer();
        a.type = RequestType.TXN;
        a.flag = plan.succeeded();
        a.responses = out;
        return a;
    }
}
