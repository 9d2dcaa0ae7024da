package dev.keel.kernel.mvcc.lease;

import dev.keel.kernel.mvcc.store.LeaseAttachments;
import dev.keel.kernel.util.InvariantViolation;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

import java.util.Arrays;

/**
 * The replicated lease state: which leases exist, their TTLs and the keys attached to them. It changes
 * only when entries are applied (grant, revoke, checkpoint, and puts/deletes of keys), so it is identical on
 * every replica. Listing is by ascending ID; nothing here iterates in hash order.
 */
public final class LeaseTable implements LeaseAttachments {
    /** etcd's {@code MaxLeaseTTL}: 9,000,000,000 seconds. */
    public static final long MAX_TTL = 9_000_000_000L;

    private final Long2ObjectHashMap<Lease> byId = new Long2ObjectHashMap<>();
    private final long minTtl;

    /** @param minTtlSeconds etcd's minimum lease TTL (2 s at the default election timeout) */
    public LeaseTable(long minTtlSeconds) {
        this.minTtl = minTtlSeconds;
    }

    /** @return the lease with this ID, or null */
    public Lease get(long id) {
        return byId.get(id);
    }

    @Override
    public boolean exists(long leaseId) {
        return byId.containsKey(leaseId);
    }

    /** Adds a lease; the TTL is raised to the minimum TTL as etcd's lessor does. */
    public Lease grant(long id, long ttlSeconds) {
        InvariantViolation.check(!byId.containsKey(id), "lease granted twice (lease)", id);
        Lease lease = new Lease(id, Math.max(ttlSeconds, minTtl));
        byId.put(id, lease);
        return lease;
    }

    /** Restores a lease exactly as it was snapshotted. */
    public Lease restore(long id, long ttl, long remainingTtl) {
        Lease lease = new Lease(id, ttl);
        lease.remainingTtl = remainingTtl;
        byId.put(id, lease);
        return lease;
    }

    /** Removes a lease (after its keys were deleted). */
    public void remove(long id) {
        byId.remove(id);
    }

    /** Applies a checkpoint of the remaining TTL of one lease (ignored if the lease is gone). */
    public void checkpoint(long id, long remainingTtl) {
        Lease lease = byId.get(id);
        if (lease != null) {
            lease.remainingTtl = remainingTtl;
        }
    }

    @Override
    public void attach(long leaseId, int slot) {
        Lease lease = byId.get(leaseId);
        InvariantViolation.check(lease != null, "attaching a key to a missing lease (lease, slot)", leaseId, slot);
        lease.keySlots.add(slot);
    }

    @Override
    public void detach(long leaseId, int slot) {
        Lease lease = byId.get(leaseId);
        if (lease != null) {
            lease.keySlots.remove(slot);
        }
    }

    /** @return number of leases */
    public int size() {
        return byId.size();
    }

    /** Fills {@code out} with every lease ID in ascending order. */
    public void sortedIds(LongArrayList out) {
        out.clear();
        Long2ObjectHashMap<Lease>.KeyIterator it = byId.keySet().iterator();
        while (it.hasNext()) {
            out.addLong(it.nextLong());
        }
        long[] ids = out.toLongArray();
        Arrays.sort(ids);
        for (int i = 0; i < ids.length; i++) {
            out.setLong(i, ids[i]);
        }
    }

    /** @return the key slots attached to a lease, in no particular order (callers sort them) */
    public int[] keySlots(Lease lease) {
        int[] slots = new int[lease.keySlots.size()];
        int i = 0;
        for (IntHashSet.IntIterator it = lease.keySlots.iterator(); it.hasNext(); ) {
            slots[i++] = it.nextValue();
        }
        return slots;
    }

    /** @return the minimum TTL in seconds */
    public long minTtl() {
        return minTtl;
    }
}
