package dev.keel.replica;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.TreeSet;

/**
 * The leader's memory of forwarded writes it proposed in its current term, so that a duplicated forward is
 * proposed once. Forwards are accepted only in the term their sender believed in, so copies delayed into a
 * later term are refused; within a term each origin's most recent request IDs are remembered, and IDs older
 * than those are treated as duplicates (their client times out rather than risk a double write).
 *
 * <p>The memory of a term starts when this member starts leading it ({@link #startTerm}) or, if a forward is
 * accepted before the replica noticed the new role, with that forward; it is cleared only when the member
 * leads a later term. A member leads a term at most once, in one life (its term is durable before its
 * first message as leader: see {@code Ready#messageMayLeaveBeforeSync}), so while the memory is of term T it
 * holds every forward of term T this member ever proposed. That lets {@link #neverAccepted} tell an origin that
 * a write it forwarded certainly never reached the log.
 */
final class ForwardDedup {
    private static final int REMEMBERED_PER_ORIGIN = 4096;
    private final Long2ObjectHashMap<TreeSet<Long>> seen = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<long[]> floor = new Long2ObjectHashMap<>();
    private long term = -1;

    /** This member leads {@code term}: remember its forwards from now on (idempotent within a term). */
    void startTerm(long term) {
        if (term != this.term) {
            seen.clear();
            floor.clear();
            this.term = term;
        }
    }

    /** @return true the first time {@code (origin, requestId)} is offered in {@code term} (the term led now) */
    boolean firstTime(long term, long origin, long requestId) {
        startTerm(term);
        TreeSet<Long> ids = seen.computeIfAbsent(origin, o -> new TreeSet<>());
        long[] below = floor.computeIfAbsent(origin, o -> new long[1]);
        if (requestId <= below[0] || !ids.add(requestId)) {
            return false;
        }
        if (ids.size() > REMEMBERED_PER_ORIGIN) {
            below[0] = ids.pollFirst();
        }
        return true;
    }

    /**
     * @return true if this member led {@code term} in this life and never proposed {@code (origin, requestId)}
     *     in it (false: it may have, or it cannot tell)
     */
    boolean neverAccepted(long term, long origin, long requestId) {
        if (term != this.term) {
            return false;
        }
        TreeSet<Long> ids = seen.get(origin);
        long[] below = floor.get(origin);
        return requestId > (below == null ? 0 : below[0]) && (ids == null || !ids.contains(requestId));
    }
}
