package dev.keel.kernel.mvcc;

import dev.keel.kernel.auth.AuthStore;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The auth store's trailing section of a state-machine snapshot: {@code MvccSnapshot bytes | AuthStore bytes |
 * authLength:i32 | magic:i32}. A trailer keeps {@code MvccSnapshot}'s format unchanged, so snapshots written
 * before auth existed (no trailer) still load, as "auth disabled, empty".
 */
final class AuthSnapshotSection {
    /** "KAUS" as a little-endian int. */
    static final int MAGIC = 0x5355414B;
    private static final int TRAILER = 2 * Integer.BYTES;

    /** How a snapshot splits: the MVCC part's length and the auth store. */
    record Split(int mvccLength, AuthStore store) {
    }

    private AuthSnapshotSection() {
    }

    static int write(AuthStore store, MutableDirectBuffer out, int at) {
        int n = store.writeTo(out, at);
        out.putInt(at + n, n);
        out.putInt(at + n + Integer.BYTES, MAGIC);
        return n + TRAILER;
    }

    static long length(AuthStore store) {
        return store.length() + TRAILER;
    }

    /**
     * @return the split, or the whole bytes as MVCC with an empty store when there is no intact trailer (an old
     * snapshot whose hash happens to end in the magic; corrupt bytes then fail the MVCC hash check instead)
     */
    static Split split(DirectBuffer in, int offset, int length) {
        if (length < TRAILER || in.getInt(offset + length - Integer.BYTES) != MAGIC) {
            return new Split(length, new AuthStore());
        }
        int authLength = in.getInt(offset + length - TRAILER);
        if (authLength < 0 || authLength > length - TRAILER) {
            return new Split(length, new AuthStore());
        }
        int mvccLength = length - TRAILER - authLength;
        AuthStore.Decoded decoded = AuthStore.readFrom(in, offset + mvccLength, authLength);
        return decoded.store() == null ? new Split(length, new AuthStore()) : new Split(mvccLength, decoded.store());
    }
}
