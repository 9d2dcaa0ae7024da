package dev.keel.kernel.mvcc.store;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/** Unsigned lexicographic comparison of byte ranges, as etcd orders keys ({@code bytes.Compare}). */
public final class ByteCompare {
    private ByteCompare() {
    }

    /** @return negative, zero or positive as {@code a} sorts before, equal to or after {@code b} */
    public static int compare(DirectBuffer a, int aOffset, int aLength, DirectBuffer b, int bOffset, int bLength) {
        int common = Math.min(aLength, bLength);
        int i = 0;
        // Eight bytes at a time: a big-endian long compared unsigned orders like its bytes.
        for (; i + Long.BYTES <= common; i += Long.BYTES) {
            long x = a.getLong(aOffset + i, ByteOrder.BIG_ENDIAN);
            long y = b.getLong(bOffset + i, ByteOrder.BIG_ENDIAN);
            if (x != y) {
                return Long.compareUnsigned(x, y);
            }
        }
        for (; i < common; i++) {
            int x = a.getByte(aOffset + i) & 0xFF;
            int y = b.getByte(bOffset + i) & 0xFF;
            if (x != y) {
                return x - y;
            }
        }
        return Integer.compare(aLength, bLength);
    }

    /** @return whether the two ranges hold the same bytes */
    public static boolean equal(DirectBuffer a, int aOffset, int aLength, DirectBuffer b, int bOffset, int bLength) {
        return aLength == bLength && compare(a, aOffset, aLength, b, bOffset, bLength) == 0;
    }
}
