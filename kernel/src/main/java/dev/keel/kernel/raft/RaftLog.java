package dev.keel.kernel.raft;

import dev.keel.kernel.util.InvariantViolation;
import org.agrona.DirectBuffer;

/**
 * The log as Raft reasons about it: a {@link LogStorage} plus three cursors — {@code persisted} (durable on
 * this node, as acknowledged by the host), {@code committed} (known replicated on a quorum) and
 * {@code applied} (handed to the state machine and acknowledged). Invariants: applied ≤ committed ≤ last index,
 * committed never decreases, and nothing at or below committed is ever truncated.
 */
final class RaftLog {
    final LogStorage storage;
    private final EntryView scratch = new EntryView();
    private long committed;
    private long applied;
    private long persisted;

    RaftLog(LogStorage storage, long committed) {
        this.storage = storage;
        this.persisted = storage.lastIndex();
        this.applied = storage.snapshotIndex();
        this.committed = Math.max(committed, applied);
        InvariantViolation.check(this.committed <= storage.lastIndex(), "restored commit beyond the log",
                this.committed, storage.lastIndex());
    }

    long lastIndex() {
        return storage.lastIndex();
    }

    long lastTerm() {
        return storage.term(storage.lastIndex());
    }

    long firstIndex() {
        return storage.firstIndex();
    }

    /** @return the term at {@code index}, or {@link LogStorage#TERM_UNAVAILABLE} */
    long term(long index) {
        return storage.term(index);
    }

    boolean matchTerm(long index, long term) {
        long t = storage.term(index);
        return t != LogStorage.TERM_UNAVAILABLE && t == term;
    }

    /** @return whether a candidate whose last entry is (index, term) is at least as up to date as this log */
    boolean isUpToDate(long index, long term) {
        long lastTerm = lastTerm();
        return term > lastTerm || (term == lastTerm && index >= lastIndex());
    }

    long committed() {
        return committed;
    }

    long applied() {
        return applied;
    }

    long persisted() {
        return persisted;
    }

    void commitTo(long index) {
        if (index <= committed) {
            return;
        }
        InvariantViolation.check(index <= lastIndex(), "commit beyond the last entry", index, lastIndex());
        committed = index;
    }

    void appliedTo(long index) {
        InvariantViolation.check(index >= applied && index <= committed, "applied out of order or uncommitted",
                index, committed);
        applied = index;
    }

    /** For a freshly bootstrapped log: nothing is durable until the host persists the first batch. */
    void persistedReset() {
        persisted = storage.snapshotIndex();
    }

    void persistedTo(long index) {
        persisted = Math.min(Math.max(persisted, index), lastIndex());
    }

    /** Appends one entry at the end (a leader's proposal). */
    long append(long term, byte type, DirectBuffer data, int offset, int length) {
        storage.append(term, type, data, offset, length);
        return storage.lastIndex();
    }

    /**
     * Appends entries from a leader's message after (prevIndex, prevTerm), which the caller has matched. Entries
     * already present with the same term are kept (log matching); the first conflicting one and everything
     * after it are replaced.
     *
     * @return the index of the last entry the message carried
     */
    long appendFromLeader(MessageDecoder message, EntryView view) {
        long index = message.index();
        int position = message.firstEntryPosition();
        int count = message.count();
        boolean conflictResolved = false;
        for (int i = 0; i < count; i++) {
            index++;
            position = message.readEntry(position, index, view);
            if (!conflictResolved) {
                if (index <= storage.baseIndex()) {
                    continue; // compacted here, so committed, so identical to the leader's
                }
                long existing = storage.term(index);
                if (existing == view.term()) {
                    continue;
                }
                if (existing != LogStorage.TERM_UNAVAILABLE) {
                    InvariantViolation.check(index > committed, "conflict at a committed index", index,
                            committed);
                    storage.truncateAfter(index - 1);
                    persisted = Math.min(persisted, index - 1);
                }
                conflictResolved = true;
            }
            storage.append(view.term(), view.type(), view.buffer(), view.offset(), view.length());
        }
        return message.index() + count;
    }

    /**
     * @return the largest index ≤ {@code index} whose term is ≤ {@code term} (the base index when compacted);
     *         used on both sides of a rejected append to skip a whole conflicting term at once
     */
    long findConflictByTerm(long index, long term) {
        long i = Math.min(index, lastIndex());
        while (i > storage.baseIndex()) {
            long t = storage.term(i);
            if (t <= term) {
                return i;
            }
            i--;
        }
        return storage.baseIndex();
    }

    /** Resets the log to a snapshot received from the leader. */
    void restore(long index, long term, ConfState conf, DirectBuffer data, int offset, int length) {
        InvariantViolation.check(index > committed, "snapshot at or below commit", index, committed);
        storage.installSnapshot(index, term, conf, data, offset, length);
        committed = index;
        persisted = index; // the snapshot itself is handed to the host as a whole, not as entries
    }

    /** Marks a restored snapshot applied and durable, once the host has acknowledged it. */
    void snapshotApplied(long index) {
        applied = index;
        persisted = Math.max(persisted, index);
    }

    /** @return a scratch view of the entry at {@code index} (valid until the next call) */
    EntryView entry(long index) {
        return storage.entry(index, scratch);
    }
}
