package dev.keel.harness.workload.lease;

import java.util.Set;

/**
 * The read at the end of the run, after the healed cluster had every lease's TTL plus an allowance to expire
 * the leases nobody keeps alive any more (at the end, nobody keeps any alive).
 *
 * @param invokeNanos    when it was invoked
 * @param present        the leases whose keys it still returned
 * @param lastKeptNanos  when the last keepalive or grant answer arrived (the leases' clocks started no later)
 * @param waitedMillis   how long after that the read came, at least
 */
public record FinalLeaseRead(long invokeNanos, Set<Long> present, long lastKeptNanos, long waitedMillis) {
}
