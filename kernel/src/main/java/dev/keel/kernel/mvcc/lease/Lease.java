package dev.keel.kernel.mvcc.lease;

import org.agrona.collections.IntHashSet;

/**
 * One lease: the replicated part (ID, granted TTL, checkpointed remaining TTL, attached keys as key slots)
 * and the leader's expiry tick, which is local to the leader and never part of a snapshot or hash.
 */
public final class Lease {
    /** Expiry of a lease on a replica that is not the leader: never. */
    public static final long FOREVER = Long.MAX_VALUE;

    final long id;
    final long ttl;
    long remainingTtl;
    long expiryTick = FOREVER;
    /** Reported expired by the leader; keepalives fail until a promotion restarts it or the revoke lands. */
    boolean revoking;
    final IntHashSet keySlots = new IntHashSet();

    Lease(long id, long ttl) {
        this.id = id;
        this.ttl = ttl;
    }

    /** @return the lease ID */
    public long id() {
        return id;
    }

    /** @return TTL in seconds as granted (after the minimum TTL rule) */
    public long ttl() {
        return ttl;
    }

    /** @return remaining TTL set by the last checkpoint, 0 if none */
    public long remainingTtl() {
        return remainingTtl;
    }

    /** @return the TTL a promotion restarts from: the checkpointed remaining TTL, else the granted TTL */
    long ttlOnPromotion() {
        return remainingTtl > 0 ? remainingTtl : ttl;
    }

    /** @return number of attached keys */
    public int keyCount() {
        return keySlots.size();
    }
}
