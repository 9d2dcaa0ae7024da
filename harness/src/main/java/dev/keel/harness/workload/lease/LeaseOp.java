package dev.keel.harness.workload.lease;

import java.util.Set;

/**
 * A lease operation that completed {@code :ok}, with the times the checker reasons about. Invoke times are
 * taken just before the call and completion times just after, so the times are never tighter than the truth.
 *
 * @param kind          what was done
 * @param process       the history's process
 * @param invokeNanos   when it was invoked, on the run's clock
 * @param completeNanos when its answer arrived
 * @param leaseId       the lease it concerned (0 for a read)
 * @param ttl           the TTL granted, or the one a keepalive or TimeToLive answered ({@code <= 0}: gone)
 * @param present       for a read: the leases whose keys it returned
 */
public record LeaseOp(Kind kind, long process, long invokeNanos, long completeNanos, long leaseId, long ttl,
                      Set<Long> present) {
    /** What a lease operation did. */
    public enum Kind { GRANT, PUT, KEEPALIVE, REVOKE, TTL, READ }

    /** @return a read that returned the keys of {@code present} */
    public static LeaseOp read(long process, long invokeNanos, long completeNanos, Set<Long> present) {
        return new LeaseOp(Kind.READ, process, invokeNanos, completeNanos, 0, 0, Set.copyOf(present));
    }

    /** @return an operation on one lease */
    public static LeaseOp of(Kind kind, long process, long invokeNanos, long completeNanos, long leaseId, long ttl) {
        return new LeaseOp(kind, process, invokeNanos, completeNanos, leaseId, ttl, Set.of());
    }

    /** @return whether its answer proves the lease no longer exists */
    public boolean provesGone() {
        // A keepalive answers TTL 0 only for a lease it does not have. TimeToLive answers 0 also for a lease with
        // under a second left, or expired and awaiting the leader's revoke (etcd truncates the remaining time),
        // so only its -1 ("not found") proves the lease gone.
        return kind == Kind.REVOKE || (kind == Kind.KEEPALIVE && ttl <= 0) || (kind == Kind.TTL && ttl < 0);
    }

    /** @return whether its answer proves the lease existed at some moment between its invoke and completion */
    public boolean provesAlive() {
        return (kind == Kind.KEEPALIVE && ttl > 0) || (kind == Kind.TTL && ttl >= 0);
    }
}
