package dev.keel.simulator;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;
import java.util.TreeMap;

/**
 * The replicated state machine the simulator runs until the MVCC store takes over: integer keys to integer
 * values, applied from committed entries in log order. Its hash is maintained incrementally (a sum of per-pair
 * mixes), so "equal applied index ⇒ equal state" is checked after every entry at no real cost.
 */
final class KvStore {
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private final TreeMap<Integer, Long> data = new TreeMap<>();
    private long hash;

    /** Result of applying a command: for CAS whether it happened; for DELETE how many keys went. */
    long apply(KvCommand c) {
        Long current = data.get(c.key);
        switch (c.op) {
            case KvCommand.PUT:
                set(c.key, current, c.value);
                return 1;
            case KvCommand.DELETE:
                if (current == null) {
                    return 0;
                }
                hash -= pairHash(c.key, current);
                data.remove(c.key);
                return 1;
            default:
                boolean matches = c.expected == 0 ? current == null : current != null && current == c.expected;
                if (matches) {
                    set(c.key, current, c.value);
                    return 1;
                }
                return 0;
        }
    }

    /** @return the key's value, or 0 if absent */
    long get(int key) {
        Long v = data.get(key);
        return v == null ? 0 : v;
    }

    long hash() {
        return hash ^ data.size();
    }

    int serialize(ExpandableArrayBuffer out) {
        out.putInt(0, data.size(), ORDER);
        int at = 4;
        for (var e : data.entrySet()) {
            out.putInt(at, e.getKey(), ORDER);
            out.putLong(at + 4, e.getValue(), ORDER);
            at += 12;
        }
        return at;
    }

    static KvStore restore(DirectBuffer in, int length) {
        KvStore store = new KvStore();
        if (length < 4) {
            return store;
        }
        int n = in.getInt(0, ORDER);
        for (int i = 0; i < n; i++) {
            store.set(in.getInt(4 + 12 * i, ORDER), null, in.getLong(8 + 12 * i, ORDER));
        }
        return store;
    }

    private void set(int key, Long current, long value) {
        if (current != null) {
            hash -= pairHash(key, current);
        }
        data.put(key, value);
        hash += pairHash(key, value);
    }

    private static long pairHash(int key, long value) {
        return TraceHash.mix(key * 0x9E3779B97F4A7C15L ^ TraceHash.mix(value));
    }

}
