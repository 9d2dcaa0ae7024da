package dev.keel.kernel.mvcc.snapshot;

import org.agrona.DirectBuffer;

/**
 * A small streaming 64-bit hash (multiply-xorshift mixing per 8-byte word). Not cryptographic: it detects
 * replicas whose states differ, as etcd's CRC32-based HashKV does, with fewer accidental collisions.
 */
public final class Hash64 {
    private static final long PRIME = 0x9E3779B97F4A7C15L;
    private long state = 0x243F6A8885A308D3L;

    /** Starts over. */
    public Hash64 reset() {
        state = 0x243F6A8885A308D3L;
        return this;
    }

    /** Adds one value; returns this. */
    public Hash64 add(long value) {
        state = mix(state ^ (value * PRIME)) * PRIME + 0x632BE59BD9B4E019L;
        return this;
    }

    /** Adds a length and then the bytes, so that field boundaries are part of the hash. */
    public Hash64 add(DirectBuffer buffer, int offset, int length) {
        add(length);
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            add(buffer.getLong(offset + i));
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8) {
            tail |= (buffer.getByte(offset + i) & 0xFFL) << shift;
        }
        return add(tail);
    }

    /** @return the hash of everything added */
    public long value() {
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
