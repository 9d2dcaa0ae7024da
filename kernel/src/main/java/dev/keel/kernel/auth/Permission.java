package dev.keel.kernel.auth;

import java.util.Arrays;

/**
 * One permission of a role: {@code rangeEnd} empty means the single key, {@code "\0"} means every key from
 * {@code key} on, anything else the half-open range {@code [key, rangeEnd)} (as etcd).
 */
public record Permission(PermissionType type, byte[] key, byte[] rangeEnd) {
    /** Copies the arrays so the store never shares mutable state with callers. */
    public Permission {
        key = key.clone();
        rangeEnd = rangeEnd.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] rangeEnd() {
        return rangeEnd.clone();
    }

    /** @return whether this permission covers the same key range as {@code key}/{@code rangeEnd} */
    boolean sameRange(byte[] otherKey, byte[] otherEnd) {
        return Arrays.equals(key, otherKey) && Arrays.equals(rangeEnd, otherEnd);
    }

    /** etcd orders a role's permissions by key (then, for determinism, by range end). */
    int compareRange(byte[] otherKey, byte[] otherEnd) {
        int c = Arrays.compareUnsigned(key, otherKey);
        return c != 0 ? c : Arrays.compareUnsigned(rangeEnd, otherEnd);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Permission p && p.type == type && sameRange(p.key, p.rangeEnd);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type.hashCode() + Arrays.hashCode(key)) + Arrays.hashCode(rangeEnd);
    }

    @Override
    public String toString() {
        return type + "[" + Arrays.toString(key) + ", " + Arrays.toString(rangeEnd) + ")";
    }
}
