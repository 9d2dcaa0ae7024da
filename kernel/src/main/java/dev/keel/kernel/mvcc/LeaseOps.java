package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.kernel.mvcc.lease.Lease;
import dev.keel.kernel.mvcc.lease.LeaseClock;
import dev.keel.kernel.mvcc.lease.LeaseTable;
import dev.keel.kernel.mvcc.store.Keyspace;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Applies the lease entries: grant (an ID of 0 gets one derived from the Raft index, so every replica picks
 * the same), revoke (every attached key deleted in one revision, in key order, as etcd's lessor does) and
 * checkpoint (remaining TTLs, used by the next leader).
 */
final class LeaseOps {
    private final Keyspace keyspace;
    private final LeaseTable table;
    private final LeaseClock clock;
    private final QuotaGuard quota;
    private final RevisionListener listener;

    LeaseOps(Keyspace keyspace, LeaseTable table, LeaseClock clock, QuotaGuard quota, RevisionListener listener) {
        this.keyspace = keyspace;
        this.table = table;
        this.clock = clock;
        this.quota = quota;
        this.listener = listener;
    }

    int grant(long raftIndex, DirectBuffer request, int offset, MutableDirectBuffer out) {
        long ttl = SmallRequests.firstLong(request, offset);
        long id = SmallRequests.secondLong(request, offset);
        long revision = keyspace.currentRevision();
        MvccError error = ttl > LeaseTable.MAX_TTL ? MvccError.LEASE_TTL_TOO_LARGE : quota.admitGrant();
        if (error == MvccError.OK && id != 0 && table.exists(id)) {
            error = MvccError.LEASE_EXISTS;
        }
        if (error != MvccError.OK) {
            return ResponseLayout.writeError(out, 0, RequestType.LEASE_GRANT, error.wireId(), revision);
        }
        if (id == 0) {
            id = generatedId(raftIndex);
        }
        Lease lease = table.grant(id, ttl);
        clock.started(lease);
        int p = ResponseLayout.writeHeader(out, 0, RequestType.LEASE_GRANT, 0, 0, revision);
        out.putLong(p, id);
        out.putLong(p + Long.BYTES, lease.ttl());
        return p + 2 * Long.BYTES;
    }

    int revoke(long id, MutableDirectBuffer out) {
        Lease lease = table.get(id);
        if (lease == null) {
            return ResponseLayout.writeError(out, 0, RequestType.LEASE_REVOKE, MvccError.LEASE_NOT_FOUND.wireId(),
                    keyspace.currentRevision());
        }
        int[] slots = table.keySlots(lease);
        keyspace.keys().sortByKey(slots);
        keyspace.beginWrite();
        for (int slot : slots) {
            keyspace.delete(slot);
        }
        long revision = keyspace.endWrite();
        table.remove(id);
        if (slots.length > 0) {
            listener.written(revision);
        }
        return ResponseLayout.writeHeader(out, 0, RequestType.LEASE_REVOKE, 0, 0, revision);
    }

    int checkpoint(DirectBuffer request, int offset, MutableDirectBuffer out) {
        int count = SmallRequests.checkpointCount(request, offset);
        for (int i = 0; i < count; i++) {
            table.checkpoint(SmallRequests.checkpointId(request, offset, i),
                    SmallRequests.checkpointRemaining(request, offset, i));
        }
        return ResponseLayout.writeHeader(out, 0, RequestType.LEASE_CHECKPOINT, 0, 0, keyspace.currentRevision());
    }

    /** A positive, unused ID derived from the Raft index (etcd uses member ID and time instead). */
    private long generatedId(long raftIndex) {
        long candidate = raftIndex;
        long id;
        do {
            candidate++;
            long z = candidate * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            id = (z ^ (z >>> 31)) & Long.MAX_VALUE;
        } while (id == 0 || table.exists(id));
        return id;
    }
}
