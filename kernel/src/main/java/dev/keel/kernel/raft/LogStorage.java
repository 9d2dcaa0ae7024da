package dev.keel.kernel.raft;

import org.agrona.DirectBuffer;

/**
 * Where a node's Raft log lives: entries after a base (the last compacted index, whose term is remembered),
 * plus the latest snapshot. The kernel reads and writes it only from its own thread.
 *
 * <p>Durability is the host's job: the kernel names in each {@link Ready} what must be made durable, and the
 * host makes it so before calling {@link RaftNode#advance()}. An implementation may be purely in memory (as
 * {@link InMemoryLogStorage}, used by the simulator and as the node's cache) or backed by the host's files.
 *
 * <p>Indexes: entries exist for {@code (baseIndex, lastIndex]}; {@link #term} answers for
 * {@code [baseIndex, lastIndex]}. A fresh log has base 0, term 0.
 */
public interface LogStorage {
    /** Term answered for an index the storage no longer (or never) had. */
    long TERM_UNAVAILABLE = -1;

    /** @return the last compacted index (the entry before the first one kept) */
    long baseIndex();

    /** @return the first index with an entry, {@code baseIndex() + 1} */
    default long firstIndex() {
        return baseIndex() + 1;
    }

    /** @return the index of the last entry, or {@link #baseIndex()} if there is none */
    long lastIndex();

    /** @return the term of the entry at {@code index}, or {@link #TERM_UNAVAILABLE} outside the base..last range */
    long term(long index);

    /**
     * Points {@code view} at the entry at {@code index}, which must be in {@code [firstIndex(), lastIndex()]}.
     *
     * @return {@code view}
     */
    EntryView entry(long index, EntryView view);

    /** Appends an entry at {@code lastIndex() + 1}, copying its data. */
    void append(long term, byte type, DirectBuffer data, int offset, int length);

    /** Removes every entry after {@code index}; {@code index} must be at least {@link #baseIndex()}. */
    void truncateAfter(long index);

    /**
     * Drops entries up to and including {@code index}, which becomes the new base. Requires a snapshot at or
     * after {@code index}, so nothing is lost that a lagging follower could not get from the snapshot.
     */
    void compact(long index);

    /**
     * Records a snapshot of applied state at {@code index} (an index this log holds or has compacted). Does not
     * compact; the host decides how many entries to keep for slow followers.
     */
    void saveSnapshot(long index, long term, ConfState conf, DirectBuffer data, int offset, int length);

    /** Replaces the whole log by a snapshot received from the leader: base and snapshot become its index. */
    void installSnapshot(long index, long term, ConfState conf, DirectBuffer data, int offset, int length);

    /** @return the index of the latest snapshot, 0 if none */
    long snapshotIndex();

    /** @return the term of the latest snapshot's last entry, 0 if none */
    long snapshotTerm();

    /** @return the configuration as of the latest snapshot (the initial configuration if none was taken) */
    ConfState snapshotConf();

    /** @return the buffer holding the latest snapshot's data, from offset 0 */
    DirectBuffer snapshotData();

    /** @return the length of the latest snapshot's data */
    int snapshotLength();
}
