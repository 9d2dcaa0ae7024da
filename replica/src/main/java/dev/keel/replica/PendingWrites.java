package dev.keel.replica;

import dev.keel.kernel.util.InvariantViolation;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes this member accepted from clients and has not answered yet, by the request ID in their envelope.
 * A write proposed here (as leader) also remembers its (index, term): when that index is applied with another
 * entry, a new leader overwrote ours and it certainly never happened. A forwarded write remembers the term it
 * was forwarded in: the leader proposes a forward only in the term its origin believed in, so the write can
 * only ever be an entry of that term, and once this member applies an entry of a later term without having
 * applied the write first, the write certainly never happens (terms never decrease along the committed log).
 * A forwarded write is answered when its envelope is applied here, when that proves it never will be, when the
 * leader says it never proposed it, or at its deadline. Ordered maps keep expiry deterministic.
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
        /** The term a forwarded write was forwarded in (0: proposed here, not forwarded). */
        long forwardTerm;
        /**
         * A snapshot replaced entries of the forward's term here: the write may be inside it, so only its envelope
         * (applied after the snapshot) or its deadline answers it.
         */
        boolean blind;

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

    /** Registers a write forwarded to the leader believed in {@code term}; returns its request ID. */
    long addForward(long token, long deadlineTick, long term) {
        long id = add(token, deadlineTick);
        byRequest.get(id).forwardTerm = term;
        return id;
    }

    /** @return whether {@code requestId} is a waiting forwarded write */
    boolean isForward(long requestId) {
        Waiting w = byRequest.get(requestId);
        return w != null && w.forwardTerm != 0;
    }

    /**
     * An entry of {@code appliedTerm} was applied here: removes and hands to {@code never} every forwarded write
     * of an earlier term that no snapshot hid (none of them can be applied any more).
     */
    void forwardedBefore(long appliedTerm, java.util.function.Consumer<Waiting> never) {
        Iterator<Map.Entry<Long, Waiting>> it = byRequest.entrySet().iterator();
        while (it.hasNext()) {
            Waiting w = it.next().getValue();
            if (w.forwardTerm != 0 && w.forwardTerm < appliedTerm && !w.blind) {
                it.remove();
                never.accept(w);
            }
        }
    }

    /** A snapshot of {@code snapshotTerm} was installed: forwards of that term or earlier may be inside it. */
    void blindForwardsUpTo(long snapshotTerm) {
        for (Waiting w : byRequest.values()) {
            if (w.forwardTerm != 0 && w.forwardTerm <= snapshotTerm) {
                w.blind = true;
            }
        }
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
