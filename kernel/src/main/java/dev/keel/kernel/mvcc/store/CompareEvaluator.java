package dev.keel.kernel.mvcc.store;

import dev.keel.kernel.mvcc.codec.TxnCompare;
import org.agrona.DirectBuffer;

/** etcd's {@code compareKV}: one Txn compare against one record (or against an empty kv). */
final class CompareEvaluator {
    private CompareEvaluator() {
    }

    /**
     * @param record a visible put, or {@link RevisionRecords#NIL} for etcd's empty kv (all zero)
     * @return whether the compare holds
     */
    static boolean matches(TxnCompare c, DirectBuffer request, RevisionRecords records, int record) {
        boolean none = record == RevisionRecords.NIL;
        int result;
        switch (c.target()) {
            case TxnCompare.VALUE:
                result = none ? Integer.compare(0, c.valueLength())
                        : ByteCompare.compare(records.valueBuffer(record), records.valueOffset(record),
                        records.valueLength(record), request, c.valueOffset(), c.valueLength());
                break;
            case TxnCompare.CREATE:
                result = Long.compare(none ? 0 : records.createRevision(record), c.operand());
                break;
            case TxnCompare.MOD:
                result = Long.compare(none ? 0 : records.main(record), c.operand());
                break;
            case TxnCompare.LEASE:
                result = Long.compare(none ? 0 : records.lease(record), c.operand());
                break;
            case TxnCompare.VERSION:
                result = Long.compare(none ? 0 : records.version(record), c.operand());
                break;
            default:
                // etcd leaves the comparison at 0 for a target it does not know.
                result = 0;
                break;
        }
        switch (c.result()) {
            case TxnCompare.EQUAL:
                return result == 0;
            case TxnCompare.NOT_EQUAL:
                return result != 0;
            case TxnCompare.GREATER:
                return result > 0;
            case TxnCompare.LESS:
                return result < 0;
            default:
                return true;
        }
    }
}
