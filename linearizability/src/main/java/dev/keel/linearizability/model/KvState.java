package dev.keel.linearizability.model;

import dev.keel.linearizability.edn.EdnWriter;

/**
 * One etcd key as the kv model sees it: its value and etcd's {@code version} of it (the number of puts since it
 * was created; 0 when the key does not exist, and reset to 0 by a delete).
 *
 * @param value   the value, or {@code null} when the key does not exist
 * @param version etcd's version: 0 iff the key does not exist
 */
public record KvState(Object value, long version) {
    /** The key does not exist. */
    public static final KvState ABSENT = new KvState(null, 0);

    /** @return whether the key exists */
    public boolean exists() {
        return version > 0;
    }

    /** @return the state after a put of {@code newValue} */
    public KvState put(Object newValue) {
        return new KvState(newValue, version + 1);
    }

    /** @return e.g. {@code 3 (version 2)} or {@code absent} */
    public String describe() {
        return exists() ? EdnWriter.write(value) + " (version " + version + ")" : "absent";
    }
}
