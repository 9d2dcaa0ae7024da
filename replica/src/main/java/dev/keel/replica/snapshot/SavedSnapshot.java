package dev.keel.replica.snapshot;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The layout of a snapshot a client saves ({@code Maintenance.Snapshot}, {@code etcdctl snapshot save}): the store
 * snapshot in a small envelope, zero-padded to a multiple of 512 bytes. etcdctl 3.4 checks that a saved file is
 * a whole number of 512-byte pages (etcd's bbolt file is) plus the 32-byte SHA-256 the server appends, and refuses
 * anything else; the envelope says where the store ends inside the padding.
 *
 * <pre>
 *  0 magic u64 "KEELSNAP" | 8 version u32 | 12 reserved u32 | 16 store length i64 | 24 store | zeros
 * </pre>
 */
public final class SavedSnapshot {
    /** "KEELSNAP" little-endian. */
    public static final long MAGIC = 0x50414E534C45454BL;
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 24;
    /** etcdctl's page: a saved snapshot's length before its hash is a multiple of it. */
    public static final int PAGE_BYTES = 512;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private SavedSnapshot() {
    }

    /** @return the bytes a saved snapshot of a {@code storeLength}-byte store takes (before its hash) */
    public static int length(int storeLength) {
        long raw = (long) HEADER_BYTES + storeLength;
        long padded = (raw + PAGE_BYTES - 1) / PAGE_BYTES * PAGE_BYTES;
        if (padded > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("store snapshot too large: " + storeLength + " bytes");
        }
        return (int) padded;
    }

    /**
     * Writes the envelope around {@code store[offset, offset + length)} into {@code out} (at least
     * {@link #length(int)} bytes, zeroed by the caller).
     *
     * @return the saved snapshot's length
     */
    public static int write(DirectBuffer store, int offset, int length, MutableDirectBuffer out) {
        out.putLong(0, MAGIC, ORDER);
        out.putInt(8, VERSION, ORDER);
        out.putInt(12, 0, ORDER);
        out.putLong(16, length, ORDER);
        out.putBytes(HEADER_BYTES, store, offset, length);
        return length(length);
    }

    /**
     * @return the length of the store inside a saved snapshot of {@code length} bytes (hash removed), or -1 if the
     *         bytes are not a saved snapshot of this version
     */
    public static int storeLength(DirectBuffer in, int length) {
        if (length < HEADER_BYTES || in.getLong(0, ORDER) != MAGIC || in.getInt(8, ORDER) != VERSION) {
            return -1;
        }
        long store = in.getLong(16, ORDER);
        if (store < 0 || store > length - HEADER_BYTES || length(Math.toIntExact(store)) != length) {
            return -1;
        }
        return (int) store;
    }
}
