package dev.keel.kernel.mvcc.lease;

import dev.keel.kernel.mvcc.MvccError;
import org.agrona.collections.LongArrayList;

/**
 * The leader's side of leases, driven by ticks: expiry times, keepalive, and the list of expired leases the
 * host must propose as revokes. Only the primary (leader) expires leases; a follower keeps every lease
 * "forever". On promotion every lease restarts from its remaining TTL (the checkpointed one, else the
 * granted TTL) plus an extension, as etcd's {@code lessor.Promote} does, so no lease expires because of the
 * election itself. None of this state is replicated or snapshotted.
 */
public final class LeaseClock {
    private final LeaseTable table;
    private final long ticksPerSecond;
    private final long retryTicks;
    private final ExpiryHeap heap = new ExpiryHeap();
    private final LongArrayList scratchIds = new LongArrayList();
    private final LongArrayList clearRemaining = new LongArrayList();
    private long checkpointCursor;
    private long now;
    private boolean primary;

    /**
     * @param ticksPerSecond how many {@link #tick()} calls make one second
     */
    public LeaseClock(LeaseTable table, long ticksPerSecond) {
        if (ticksPerSecond <= 0) {
            throw new IllegalArgumentException("ticksPerSecond must be positive: " + ticksPerSecond);
        }
        this.table = table;
        this.ticksPerSecond = ticksPerSecond;
        // etcd retries the revoke of an expired lease after 3 s (expiredLeaseRetryInterval).
        this.retryTicks = 3 * ticksPerSecond;
    }

    /** Advances time by one tick. */
    public void tick() {
        now++;
    }

    /** @return ticks since this clock started */
    public long now() {
        return now;
    }

    /** @return whether this replica expires leases */
    public boolean isPrimary() {
        return primary;
    }

    /** Starts timing a lease that was just granted (or restored). */
    public void started(Lease lease) {
        if (primary) {
            arm(lease, now + lease.ttl * ticksPerSecond);
        }
    }

    /** Becomes the leader: every lease restarts from its remaining TTL plus {@code extendTicks}. */
    public void promote(long extendTicks) {
        primary = true;
        heap.clear();
        table.sortedIds(scratchIds);
        for (int i = 0; i < scratchIds.size(); i++) {
            Lease lease = table.get(scratchIds.getLong(i));
            arm(lease, now + extendTicks + lease.ttlOnPromotion() * ticksPerSecond);
        }
    }

    /** Stops being the leader: no lease expires here any more. */
    public void demote() {
        primary = false;
        heap.clear();
        table.sortedIds(scratchIds);
        for (int i = 0; i < scratchIds.size(); i++) {
            table.get(scratchIds.getLong(i)).expiryTick = Lease.FOREVER;
        }
    }

    /**
     * etcd's {@code Renew}: restarts the lease's TTL on the leader. Not replicated (etcd 3.4 does not put
     * keepalives through Raft either); a new leader restarts every lease anyway.
     *
     * @return the TTL in seconds, or -1 with {@code error[0]} set to the reason
     */
    public long keepAlive(long id, MvccError[] error) {
        if (!primary) {
            error[0] = MvccError.NOT_LEADER;
            return -1;
        }
        Lease lease = table.get(id);
        if (lease == null || lease.revoking || lease.expiryTick <= now) {
            // An expired lease is waiting for its revoke; etcd answers "not found" once that lands.
            error[0] = MvccError.LEASE_NOT_FOUND;
            return -1;
        }
        arm(lease, now + lease.ttl * ticksPerSecond);
        if (lease.remainingTtl > 0 && !clearRemaining.containsLong(id)) {
            // As etcd: a renewed lease must not restart from a stale checkpoint after a leader change.
            clearRemaining.addLong(id);
        }
        error[0] = MvccError.OK;
        return lease.ttl;
    }

    /** @return remaining whole seconds of a lease as etcd's TimeToLive reports them (never negative) */
    public long remainingSeconds(Lease lease) {
        if (lease.revoking) {
            return 0;
        }
        if (lease.expiryTick == Lease.FOREVER) {
            return lease.ttlOnPromotion();
        }
        return Math.max(0, (lease.expiryTick - now) / ticksPerSecond);
    }

    /**
     * Collects up to {@code max} leases that have expired, in expiry order. Each is reported again after
     * etcd's 3 s retry interval if its revoke has not been applied by then.
     */
    public int expired(LongArrayList out, int max) {
        int found = 0;
        while (found < max && !heap.isEmpty() && heap.peekTick() <= now) {
            long tick = heap.peekTick();
            long id = heap.peekId();
            heap.pop();
            Lease lease = table.get(id);
            if (lease == null || lease.expiryTick != tick) {
                continue;
            }
            out.addLong(id);
            found++;
            arm(lease, now + retryTicks);
            lease.revoking = true;
        }
        return found;
    }

    /**
     * Leader only: the next batch of lease checkpoints to replicate (etcd's lease checkpointing): first the
     * renewed leases whose replicated remaining TTL must be cleared (remaining 0), then the remaining TTL of
     * up to {@code max} leases in ID order, continuing where the previous batch stopped.
     *
     * @return how many entries were written to the two arrays
     */
    public int checkpoints(long[] ids, long[] remaining, int max) {
        if (!primary) {
            return 0;
        }
        int n = 0;
        while (n < max && !clearRemaining.isEmpty()) {
            ids[n] = clearRemaining.removeAt(clearRemaining.size() - 1);
            remaining[n++] = 0;
        }
        table.sortedIds(scratchIds);
        int start = 0;
        while (start < scratchIds.size() && scratchIds.getLong(start) <= checkpointCursor) {
            start++;
        }
        for (int i = 0; i < scratchIds.size() && n < max; i++) {
            long id = scratchIds.getLong((start + i) % scratchIds.size());
            ids[n] = id;
            remaining[n++] = remainingSeconds(table.get(id));
            checkpointCursor = id;
        }
        return n;
    }

    private void arm(Lease lease, long tick) {
        lease.expiryTick = tick;
        lease.revoking = false;
        heap.push(tick, lease.id);
    }
}
