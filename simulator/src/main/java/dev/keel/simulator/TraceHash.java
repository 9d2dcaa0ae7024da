package dev.keel.simulator;

/**
 * A 64-bit digest of everything a run did (every delivered message and every fault, with its virtual time).
 * Equal seeds must give equal digests on every machine; a replay that differs is a determinism bug.
 */
final class TraceHash {
    private long hash = 0x9E3779B97F4A7C15L;

    void add(long value) {
        hash = mix(hash ^ value) + 0x632BE59BD9B4E019L;
    }

    /**
     * Adds a delivered message: its length and its first 96 bytes (the whole 80-byte header, which names type,
     * endpoints, term, indexes and entry count, and the start of the body); hashing every payload byte cost a
     * fifth of the simulator's time and adds nothing the header and the replicas' checks do not already pin.
     */
    void addBytes(byte[] bytes) {
        long h = bytes.length;
        int limit = Math.min(bytes.length, 96);
        int i = 0;
        for (; i + 8 <= limit; i += 8) {
            h = (h ^ (long) LONGS.get(bytes, i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < limit; i++) {
            h = (h ^ (bytes[i] & 0xFF)) * 0x100000001B3L;
        }
        add(h);
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    long value() {
        return hash;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
