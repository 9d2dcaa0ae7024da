package dev.keel.replica;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.TreeSet;

/**
 * The leader's memory of forwarded writes it proposed in its current term, so that a duplicated forward is
 * proposed once. Forwards are accepted only in the term their sender believed in, so copies delayed into a
 * later term are refused; within a term each origin's most recent request IDs are remembered, and IDs older
 * than those are treated as duplicates (their client times out rather than risk a double write).
 */
final class ForwardDedup {
    private static final int REMEMBERED_PER_ORIGIN = 4096;
    private final Long2ObjectHashMap<TreeSet<Long>> seen = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<long[]> floor = new Long2ObjectHashMap<>();
    private long term = -1;

    /** @return true the first time {@code (origin, requestId)} is offered in {@code term} */
    boolean firstTime(long term, long origin, long requestId) {
        if (term != this.term) {
            seen.clear();
            floor.clear();
            this.term = term;
        }
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
}
