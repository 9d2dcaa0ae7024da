package dev.keel.replica;

import dev.keel.kernel.util.InvariantViolation;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes this member accepted from clients and has not answered yet, by the request ID in their envelope.
 * A write proposed here (as leader) also remembers its (index, term): when that index is applied with another
 * entry, a new leader overwrote ours and it certainly never happened. A forwarded write is answered when its
 * envelope is applied here, or times out. Ordered maps keep expiry deterministic.
 *
 * <p>Invariant: every index in {@code byIndex} names a pending write proposed at that index.
 */
final class PendingWrites {
    /** One waiting write. */
    static final class Waiting {
        final long token;
        final long deadlineTick;
        long index;
        long term;

        Waiting(long token, long deadlineTick) {
            this.token = token;
            this.deadlineTick = deadlineTick;
        }
    }

    private final TreeMap<Long, Waiting> byRequest = new TreeMap<>();
    private final TreeMap<Long, Long> byIndex = new TreeMap<>();
    /** Bits of a request ID below the boot stamp: requests a replica can take in one life. */
    static final int COUNTER_BITS = 24;
    private long nextRequestId = 1;

    /**
     * Request IDs start above every ID of an earlier life of this member: entries an earlier life proposed may
     * still be applied after a restart, and must not answer this life's requests.
     *
     * @param bootStamp larger at every start of this member (the simulator: its incarnation; a production host:
     *                  its wall-clock start time, as etcd seeds its request IDs)
     */
    void startLife(long bootStamp) {
        if (bootStamp < 0 || bootStamp >= 1L << (63 - COUNTER_BITS)) {
            throw new IllegalArgumentException("boot stamp out of range: " + bootStamp);
        }
        nextRequestId = (bootStamp << COUNTER_BITS) + 1;
    }

    /** Registers a write; returns its request ID (for the envelope). */
    long add(long token, long deadlineTick) {
        long id = nextRequestId++;
        byRequest.put(id, new Waiting(token, deadlineTick));
        return id;
    }

    /** The write was proposed here at {@code (index, term)}. */
    void proposedAt(long requestId, long index, long term) {
        Waiting w = byRequest.get(requestId);
        if (w == null) {
            throw new InvariantViolation("proposed write " + requestId + " is not pending");
        }
        w.index = index;
        w.term = term;
        Long earlier = byIndex.put(index, requestId);
        if (earlier != null) {
            // An earlier proposal of ours at this index left our log (another leader overwrote it, and we lead
            // again). Another member may still hold it and a later leader commit it: only its envelope being
            // applied — or its deadline — settles it now. (Found by the simulator's rare mix.)
            byRequest.get(earlier).index = 0;
        }
    }

    /** @return the write with this ID, removed, or null */
    Waiting take(long requestId) {
        Waiting w = byRequest.remove(requestId);
        if (w != null && w.index != 0) {
            Long id = byIndex.remove(w.index);
            if (id == null || id != requestId) {
                throw new InvariantViolation("pending write " + requestId + " lost its index " + w.index);
            }
        }
        return w;
    }

    /**
     * Index {@code index} was applied carrying request {@code appliedRequestId} of {@code appliedOrigin}.
     *
     * @return the write of ours that was overwritten there (removed), or null
     */
    Waiting overwrittenAt(long index, long self, long appliedOrigin, long appliedRequestId) {
        Long ours = byIndex.get(index);
        if (ours == null || (appliedOrigin == self && appliedRequestId == ours)) {
            return null;
        }
        return take(ours);
    }

    /** @return the write proposed here at the lowest index, if at or below {@code index} (removed), or null */
    Waiting takeProposedAtOrBelow(long index) {
        Map.Entry<Long, Long> first = byIndex.firstEntry();
        return first == null || first.getKey() > index ? null : take(first.getValue());
    }

    /** Removes and hands to {@code expired} every write whose deadline passed. */
    void expire(long nowTick, java.util.function.Consumer<Waiting> expired) {
        Iterator<Map.Entry<Long, Waiting>> it = byRequest.entrySet().iterator();
        while (it.hasNext()) {
            Waiting w = it.next().getValue();
            if (w.deadlineTick <= nowTick) {
                it.remove();
                if (w.index != 0) {
                    byIndex.remove(w.index);
                }
                expired.accept(w);
            }
        }
    }

    /** Hands every pending write to {@code each} and forgets them all (the replica stops). */
    void drain(java.util.function.Consumer<Waiting> each) {
        for (Waiting w : byRequest.values()) {
            each.accept(w);
        }
        byRequest.clear();
        byIndex.clear();
    }

    int size() {
        return byRequest.size();
    }
}
