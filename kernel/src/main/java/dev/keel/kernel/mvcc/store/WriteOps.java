package dev.keel.kernel.mvcc.store;

import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.codec.DeleteRangeRequest;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Put and DeleteRange inside a write transaction, answering as etcd's {@code applierV3backend}: a put's
 * header revision is the write's revision; a delete's is the write's revision if anything in the
 * transaction changed, else the store revision.
 */
public final class WriteOps {
    private final Keyspace keyspace;
    private final KvWriter kvWriter;
    private final RangeScan scan;
    private LeaseAttachments leases;

    public WriteOps(Keyspace keyspace, KvWriter kvWriter) {
        this.keyspace = keyspace;
        this.kvWriter = kvWriter;
        this.scan = new RangeScan(keyspace.keys());
    }

    /** Connects the lease table (to check that a put's lease exists). */
    public void leases(LeaseAttachments leaseAttachments) {
        this.leases = leaseAttachments;
    }

    /**
     * @param standalone a Put request of its own, where etcd checks the lease before the key (its
     *                   {@code applierV3backend.Put}); inside a txn etcd's {@code checkPut} checks the key first
     * @return the error etcd gives this put against the current view, or OK
     */
    public MvccError checkPut(PutRequest put, boolean standalone) {
        boolean leaseMissing = !put.ignoreLease() && put.lease() != 0 && !leases.exists(put.lease());
        if (standalone && leaseMissing) {
            return MvccError.LEASE_NOT_FOUND;
        }
        if ((put.ignoreValue() || put.ignoreLease()) && keyspace.visible(put.buffer(), put.keyOffset(),
                put.keyLength(), keyspace.readRevision()) == RevisionRecords.NIL) {
            return MvccError.KEY_NOT_FOUND;
        }
        return leaseMissing ? MvccError.LEASE_NOT_FOUND : MvccError.OK;
    }

    /** Applies a checked put; writes its response at {@code at} and returns the response length. */
    public int put(PutRequest put, MutableDirectBuffer out, int at) {
        DirectBuffer request = put.buffer();
        int slot = keyspace.keys().find(request, put.keyOffset(), put.keyLength());
        int previous = slot == KeyIndex.NIL ? RevisionRecords.NIL : keyspace.visible(slot, keyspace.readRevision());
        boolean withPrev = put.prevKv() && previous != RevisionRecords.NIL;
        int p = ResponseLayout.writeHeader(out, at, RequestType.PUT, 0,
                withPrev ? ResponseLayout.FLAG_PREV_KV : 0, keyspace.writeRevision());
        if (withPrev) {
            p = kvWriter.write(out, p, previous, false);
        }
        RevisionRecords records = keyspace.records();
        long lease = put.ignoreLease() ? records.lease(previous) : put.lease();
        if (put.ignoreValue()) {
            keyspace.put(slot, request, put.keyOffset(), put.keyLength(), records.valueBuffer(previous),
                    records.valueOffset(previous), records.valueLength(previous), lease);
        } else {
            keyspace.put(slot, request, put.keyOffset(), put.keyLength(), request, put.valueOffset(), put.valueLength(),
                    lease);
        }
        return p - at;
    }

    /** Applies a DeleteRange; writes its response at {@code at} and returns the response length. */
    public int deleteRange(DeleteRangeRequest delete, MutableDirectBuffer out, int at) {
        int p = ResponseLayout.writeHeader(out, at, RequestType.DELETE_RANGE, 0, 0, 0);
        int countsAt = p;
        p += Long.BYTES + Integer.BYTES;
        long revision = keyspace.readRevision();
        int deleted = 0;
        for (int slot = scan.first(delete.buffer(), delete.keyOffset(), delete.keyLength(),
                delete.rangeEndOffset(), delete.rangeEndLength()); slot != KeyIndex.NIL; slot = scan.next()) {
            int record = keyspace.visible(slot, revision);
            if (record == RevisionRecords.NIL) {
                continue;
            }
            if (delete.prevKv()) {
                p = kvWriter.write(out, p, record, false);
            }
            keyspace.delete(slot);
            deleted++;
        }
        out.putLong(countsAt, deleted);
        out.putInt(countsAt + Long.BYTES, delete.prevKv() ? deleted : 0);
        out.putLong(at + ResponseLayout.REVISION_OFFSET, keyspace.readRevision());
        return p - at;
    }
}
