package dev.keel.node.metrics;

/**
 * Where the lease counters come from. The node plugs in its lease service's statistics here
 * ({@link NodeMetrics#leaseGauges(LeaseGauges)}); until one is plugged in, every count is zero (no lease service
 * granted anything).
 */
public interface LeaseGauges {
    /** No lease service. */
    LeaseGauges NONE = new LeaseGauges() {
        @Override
        public long granted() {
            return 0;
        }

        @Override
        public long revoked() {
            return 0;
        }

        @Override
        public long renewed() {
            return 0;
        }
    };

    /** @return leases granted since start (etcd_debugging_lease_granted_total) */
    long granted();

    /** @return leases revoked since start (etcd_debugging_lease_revoked_total) */
    long revoked();

    /** @return lease renewals since start (etcd_debugging_lease_renewed_total) */
    long renewed();
}
