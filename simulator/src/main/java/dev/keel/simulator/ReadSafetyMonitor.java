package dev.keel.simulator;

import org.agrona.collections.Long2LongHashMap;

/**
 * Judges every linearizable read when it is answered, from the simulator's global view, without waiting for a
 * client to notice: the answer's revision must cover every entry committed anywhere before the read reached
 * the member — every write acknowledged to any client, every lease expiry, every compaction. (An entry counts
 * as committed once some replica applied it, a slight underestimate that can only miss, never invent, a
 * violation.)
 */
final class ReadSafetyMonitor {
    private static final long NONE = -1;
    private final Long2LongHashMap requiredRevision = new Long2LongHashMap(NONE);
    private long committedRevision;
    private final boolean enforce;
    private long checked;
    private long violations;

    /** @param enforce false only in the lease-beyond-bound experiment, where violations are counted */
    ReadSafetyMonitor(boolean enforce) {
        this.enforce = enforce;
    }

    /** Some replica applied an entry; the store is at {@code revision}. */
    void onApplied(long revision) {
        committedRevision = Math.max(committedRevision, revision);
    }

    /** A linearizable read reached a member. */
    void onReadArrived(long token) {
        requiredRevision.put(token, committedRevision);
    }

    /** Member {@code node} answered the read at store revision {@code revision}. */
    void onReadServed(long node, long token, long revision) {
        long required = requiredRevision.remove(token);
        if (required == NONE) {
            return;
        }
        checked++;
        if (revision >= required) {
            return;
        }
        violations++;
        if (enforce) {
            throw new SimulationFailure("read safety", "node " + node + " answered a linearizable read at revision "
                    + revision + ", but revision " + required + " was committed before the read arrived");
        }
    }

    /** @return stale reads seen (only ever non-zero when not enforcing) */
    long violations() {
        return violations;
    }

    long checked() {
        return checked;
    }

}
