package dev.keel.node;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this member's Lease service has done, for metrics; every getter is safe from any thread. Counts are of
 * client requests answered by this member (a forwarded keepalive counts on the member the client reached).
 * Expiries are decided and revoked by the leader's replica through the log and are not seen here: {@link
 * #revoked()} counts only clients' revokes.
 */
public final class LeaseStats implements dev.keel.node.metrics.LeaseGauges {
    private final RequestGate gate;
    private final LongAdder granted = new LongAdder();
    private final LongAdder revoked = new LongAdder();
    private final LongAdder keepAlives = new LongAdder();
    private final AtomicLong leasesNow = new AtomicLong(-1);

    /** @param gate where {@link #sample} hands its kernel task */
    public LeaseStats(RequestGate gate) {
        this.gate = gate;
    }

    /** @return leases granted through this member since it started */
    @Override
    public long granted() {
        return granted.sum();
    }

    /** @return leases revoked by clients through this member since it started */
    @Override
    public long revoked() {
        return revoked.sum();
    }

    /** @return keepalive answers with a positive TTL sent to this member's clients */
    public long keepAlivesServed() {
        return keepAlives.sum();
    }

    /**
     * @return how many leases the store held when last sampled (by {@link #sample} or a LeaseLeases call), -1
     * before the first sample
     */
    public long leasesNow() {
        return leasesNow.get();
    }

    /**
     * Samples the number of leases on the kernel thread; {@link #leasesNow()} shows it once that ran.
     *
     * @return false when the kernel thread's task queue is full (the old value stays)
     */
    public boolean sample() {
        return gate.run(kernel -> {
            // Rare (a metrics scrape): a buffer of its own rather than one shared with the kernel thread.
            org.agrona.ExpandableArrayBuffer out = new org.agrona.ExpandableArrayBuffer(256);
            kernel.replica().mvcc().leases(out);
            leasesNow.set(out.getInt(dev.keel.kernel.mvcc.codec.ResponseLayout.HEADER_LENGTH));
        });
    }

    /** A grant succeeded. */
    public void onGranted() {
        granted.increment();
    }

    /** A client's revoke succeeded. */
    public void onRevoked() {
        revoked.increment();
    }

    /** A keepalive was answered with the lease's TTL. */
    public void onKeepAlive() {
        keepAlives.increment();
    }

    /** The store held {@code count} leases (seen by a LeaseLeases call). */
    public void onLeaseCount(long count) {
        leasesNow.set(count);
    }

    /** @return keepalives answered on this member (etcd_debugging_lease_renewed_total) */
    @Override
    public long renewed() {
        return keepAlivesServed();
    }
}
