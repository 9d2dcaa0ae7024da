package dev.keel.replica;

import dev.keel.kernel.raft.LogStorage;
import org.agrona.DirectBuffer;

/**
 * What the replica reports for checks: the simulator's safety monitors listen; production passes
 * {@link #NONE}. Calls happen on the replica's thread, in the order of the events; buffers are valid only
 * during the call.
 */
public interface ReplicaObserver {
    /** Observes nothing. */
    ReplicaObserver NONE = new ReplicaObserver() {
    };

    /**
     * An entry was applied. {@code data} is the entry's payload as committed (for normal entries: the proposal
     * envelope and the MVCC request), {@code response} what the MVCC store answered (length 0 for entries it
     * did not see: no-ops and configuration changes).
     */
    default void onApplied(long member, long index, long term, byte type, DirectBuffer data, int offset,
                           int length, DirectBuffer response, int responseLength) {
    }

    /** This member became leader of {@code term}; {@code log} is its log at that moment (read-only). */
    default void onLeader(long member, long term, LogStorage log) {
    }

    /** @return whether {@link #onSnapshot} wants the store's hash (it costs a full scan) */
    default boolean wantsStoreHashes() {
        return false;
    }

    /** This member took a snapshot of its store at {@code appliedIndex}; {@code hashKv} is etcd's HashKV. */
    default void onSnapshot(long member, long appliedIndex, long hashKv) {
    }

    /** Something a person reading a log would want to know (a torn tail cut, the disk full or writable again). */
    default void onEvent(long member, String what) {
    }
}
