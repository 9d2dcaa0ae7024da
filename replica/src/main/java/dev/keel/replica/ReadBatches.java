package dev.keel.replica;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.LongArrayList;

/**
 * Linearizable reads waiting for a ReadIndex round, batched as etcd does: one round at a time, and every read
 * that arrived before a round started is served by it — the reads arriving meanwhile wait for the next round.
 * Each read keeps a copy of its range request, served once the round's index is applied.
 *
 * <p>Invariants: at most one round is in flight; a read belongs to exactly one batch.
 */
final class ReadBatches {
    /** One batch: tokens, deadlines, and the requests' bytes. */
    static final class Batch {
        final LongArrayList tokens = new LongArrayList();
        final LongArrayList deadlines = new LongArrayList();
        final LongArrayList offsets = new LongArrayList();
        final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(1024);
        int end;

        void add(long token, long deadline, DirectBuffer request, int offset, int length) {
            tokens.addLong(token);
            deadlines.addLong(deadline);
            offsets.addLong(((long) end << 32) | length);
            bytes.putBytes(end, request, offset, length);
            end += length;
        }

        int size() {
            return tokens.size();
        }

        int requestOffset(int i) {
            return (int) (offsets.getLong(i) >>> 32);
        }

        int requestLength(int i) {
            return (int) offsets.getLong(i);
        }

        void clear() {
            tokens.clear();
            deadlines.clear();
            offsets.clear();
            end = 0;
        }

        long earliestDeadline() {
            long d = Long.MAX_VALUE;
            for (int i = 0; i < deadlines.size(); i++) {
                d = Math.min(d, deadlines.getLong(i));
            }
            return d;
        }
    }

    private Batch inFlight = new Batch();
    private Batch next = new Batch();
    private long inFlightContext;
    private long nextContext = 1;
    private final int maxReads;

    ReadBatches(int maxReads) {
        this.maxReads = maxReads;
    }

    /**
     * Round contexts start above every context of an earlier life of this member: a leader's late (or
     * duplicated) answer to a round of an earlier life must not serve this life's reads at its old index.
     * (Found by the simulator's rare mix: a restarted follower served a stale read that way.)
     */
    void startLife(long bootStamp) {
        nextContext = (bootStamp << PendingWrites.COUNTER_BITS) + 1;
    }

    /** @return false when too many reads wait already */
    boolean add(long token, long deadline, DirectBuffer request, int offset, int length) {
        if (inFlight.size() + next.size() >= maxReads) {
            return false;
        }
        next.add(token, deadline, request, offset, length);
        return true;
    }

    /** @return whether a round should start now: reads wait and none is in flight */
    boolean roundDue() {
        return inFlightContext == 0 && next.size() > 0;
    }

    /** Moves the waiting reads into a new round; returns its context for {@code RaftNode.readIndex}. */
    long startRound() {
        Batch t = inFlight;
        inFlight = next;
        next = t;
        next.clear();
        inFlightContext = nextContext++;
        return inFlightContext;
    }

    /**
     * @return the batch a round's answer serves (to be handed back with {@link #finishRound}), or null when the
     *         context is not the round in flight (a late answer to a round given up on)
     */
    Batch answered(long context) {
        return context == inFlightContext && context != 0 ? inFlight : null;
    }

    /** The batch in flight was served or failed; the next round may start. */
    void finishRound() {
        inFlight.clear();
        inFlightContext = 0;
    }

    /** @return the batch in flight if its earliest deadline passed (hand back with finishRound), else null */
    Batch expiredRound(long nowTick) {
        return inFlightContext != 0 && inFlight.earliestDeadline() <= nowTick ? inFlight : null;
    }

    /** @return the reads not yet in a round (for failing them all) */
    Batch waiting() {
        return next;
    }

    long inFlightContext() {
        return inFlightContext;
    }

    boolean roundInFlight() {
        return inFlightContext != 0;
    }
}
