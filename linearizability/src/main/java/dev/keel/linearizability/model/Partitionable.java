package dev.keel.linearizability.model;

import dev.keel.linearizability.history.History;
import java.util.List;

/**
 * A model whose histories split into independent parts (one per key), each checkable on its own: by
 * P-compositionality (Herlihy and Wing's locality) the whole history is linearizable iff every part is.
 */
public interface Partitionable {
    /**
     * Splits a history into per-key histories whose operations carry only their key's part of the value.
     *
     * @return the parts in a deterministic order (by key)
     * @throws dev.keel.linearizability.history.InvalidHistoryException if an operation names no key
     */
    List<Partition> partition(History history);

    /** @return the model each part is checked against */
    Model<?> partitionModel();

    /**
     * One part of a split history.
     *
     * @param key     the key all its operations touch
     * @param history the key's operations, with the key taken out of their values
     */
    record Partition(Object key, History history) {
    }
}
