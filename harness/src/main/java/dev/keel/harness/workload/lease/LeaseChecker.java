package dev.keel.harness.workload.lease;

import dev.keel.harness.workload.support.Verdict;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges lease semantics from the {@code :ok} operations: (a) no read invoked after a lease was proven gone (a
 * completed revoke, a keepalive answering TTL 0, TimeToLive answering -1) returns its key; (b) a read invoked
 * after a key's put completed, and completed before the invoke of a keepalive or TimeToLive that found the lease
 * alive, returns the key (leases never come back, and only their end removes the key); (c) at the end, after the
 * healed cluster had TTL plus an allowance, no key is left (nobody keeps a lease alive any more by then).
 */
public final class LeaseChecker {
    private LeaseChecker() {
    }

    /**
     * @param ops       every {@code :ok} operation
     * @param finalRead the final read, or null when it could not be made
     * @param keyPrefix the keys' prefix, for headlines
     */
    public static Verdict check(List<LeaseOp> ops, FinalLeaseRead finalRead, String keyPrefix) {
        List<LeaseOp> reads = ops.stream().filter(o -> o.kind() == LeaseOp.Kind.READ)
                .sorted(Comparator.comparingLong(LeaseOp::invokeNanos)).toList();
        Map<Long, LeaseOp> goneProof = new HashMap<>();
        Map<Long, LeaseOp> put = new java.util.TreeMap<>();
        Map<Long, LeaseOp> lastAlive = new HashMap<>();
        for (LeaseOp o : ops) {
            if (o.provesGone()) {
                goneProof.merge(o.leaseId(), o, (a, b) -> a.completeNanos() <= b.completeNanos() ? a : b);
            } else if (o.provesAlive()) {
                lastAlive.merge(o.leaseId(), o, (a, b) -> a.invokeNanos() >= b.invokeNanos() ? a : b);
            } else if (o.kind() == LeaseOp.Kind.PUT) {
                put.put(o.leaseId(), o);
            }
        }
        for (LeaseOp read : reads) {
            String fault = outlived(read, goneProof, keyPrefix);
            fault = fault != null ? fault : vanished(read, put, lastAlive, keyPrefix);
            if (fault != null) {
                return Verdict.fail(fault);
            }
        }
        if (finalRead == null) {
            return Verdict.unknown("Reads agreed with revokes and keepalives (" + reads.size() + " reads), but no "
                    + "member answered the final read, so whether lapsed leases expired is unknown.");
        }
        if (!finalRead.present().isEmpty()) {
            long lease = finalRead.present().stream().sorted().findFirst().orElseThrow();
            return Verdict.fail(String.format("The final read at +%.1fs still returned %d lease key(s), e.g. %s%d, "
                    + "%d ms after the last keepalive (+%.1fs), though nobody kept them alive.",
                    finalRead.invokeNanos() / 1e9, finalRead.present().size(), keyPrefix, lease,
                    finalRead.waitedMillis(), finalRead.lastKeptNanos() / 1e9));
        }
        return Verdict.pass(reads.size() + " reads agreed with " + put.size() + " leased keys: none outlived one of "
                + goneProof.size() + " revokes or gone answers, none vanished while " + lastAlive.size()
                + " leases were proven alive, and no key was left " + finalRead.waitedMillis()
                + " ms after the last keepalive.");
    }

    /** (a): the read returned a key whose lease had been proven gone before the read began. */
    private static String outlived(LeaseOp read, Map<Long, LeaseOp> goneProof, String keyPrefix) {
        for (long lease : read.present().stream().sorted().toList()) {
            LeaseOp gone = goneProof.get(lease);
            if (gone != null && gone.completeNanos() < read.invokeNanos()) {
                return String.format("A read invoked at +%.3fs returned %s%d, but its lease had been %s by +%.3fs.",
                        read.invokeNanos() / 1e9, keyPrefix, lease, goneReason(gone), gone.completeNanos() / 1e9);
            }
        }
        return null;
    }

    private static String goneReason(LeaseOp gone) {
        return switch (gone.kind()) {
            case REVOKE -> "revoked";
            case KEEPALIVE -> "answered TTL " + gone.ttl() + " by a keepalive";
            default -> "answered TTL " + gone.ttl() + " by TimeToLive";
        };
    }

    /** (b): the read missed a key although its lease was proven alive after the read ended. */
    private static String vanished(LeaseOp read, Map<Long, LeaseOp> put, Map<Long, LeaseOp> lastAlive,
                                   String keyPrefix) {
        for (Map.Entry<Long, LeaseOp> p : put.entrySet()) {
            LeaseOp alive = lastAlive.get(p.getKey());
            if (alive != null && p.getValue().completeNanos() < read.invokeNanos()
                    && read.completeNanos() < alive.invokeNanos() && !read.present().contains(p.getKey())) {
                return String.format("A read at +%.3fs..+%.3fs lacked %s%d (put by +%.3fs), though its lease was "
                        + "alive later: a %s invoked at +%.3fs answered TTL %d.", read.invokeNanos() / 1e9,
                        read.completeNanos() / 1e9, keyPrefix, p.getKey(), p.getValue().completeNanos() / 1e9,
                        alive.kind() == LeaseOp.Kind.KEEPALIVE ? "keepalive" : "TimeToLive",
                        alive.invokeNanos() / 1e9, alive.ttl());
            }
        }
        return null;
    }
}
