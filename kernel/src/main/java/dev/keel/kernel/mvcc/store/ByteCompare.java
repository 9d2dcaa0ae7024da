package dev.keel.kernel.mvcc.store;

import org.agrona.DirectBuffer;

/** Unsigned lexicographic comparison of byte ranges, as etcd orders keys ({@code bytes.Compare}). */
public final class ByteCompare {
    private ByteCompare() {
    }

    /** @return negative, zero or positive as {@code a} sorts before, equal to or after {@code b} */
    public static int compare(DirectBuffer a, int aOffset, int aLength, DirectBuffer b, int bOffset, int bLength) {
        int common = Math.min(aLength, bLength);
        int i = 0;
        // Skip equal eight-byte words (equality does not depend on byte order), then find the first differing byte.
        while (i + Long.BYTES <= common && a.getLong(aOffset + i) == b.getLong(bOffset + i)) {
            i += Long.BYTES;
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
