package dev.keel.kernel.util;

import org.agrona.ExpandableArrayBuffer;

/**
 * Sizing of the buffers that hold a whole snapshot. Letting an {@link ExpandableArrayBuffer} grow while the
 * store is written into it costs up to 1.5x the snapshot in slack and briefly 2.5x while it copies; a buffer
 * sized from the exact length first holds at most one headroom step of slack and never copies old bytes.
 */
public final class SizedBuffers {
    /** Slack kept above the needed length so that a slowly growing store does not reallocate every time. */
    static final int MAX_HEADROOM = 4 << 20;

    private SizedBuffers() {
    }

    /** Buffers up to this size are kept between snapshots; larger ones are dropped once their bytes are used. */
    static final int KEPT_CAPACITY = 1 << 20;

    /**
     * @return {@code buffer} if it is small, else a small new one: a whole-snapshot buffer is dropped once its
     *         bytes were copied or written, so the heap does not keep a copy of the store per stage
     */
    public static ExpandableArrayBuffer shrink(ExpandableArrayBuffer buffer) {
        return buffer.capacity() <= KEPT_CAPACITY ? buffer : new ExpandableArrayBuffer(4096);
    }

    /** @return whether {@code buffer} already holds {@code needed} bytes (then it is reused as it is) */
    public static boolean fits(ExpandableArrayBuffer buffer, long needed) {
        return buffer != null && buffer.capacity() >= needed;
    }

    /**
     * A new buffer for {@code needed} bytes plus a bounded headroom (an eighth, at most 4 MiB). The caller drops
     * its old buffer first (sets its field to null), so the old bytes need not live next to the new ones.
     *
     * @throws IllegalStateException if {@code needed} exceeds what one Java array can hold
     */
    public static ExpandableArrayBuffer allocate(long needed) {
        long max = Integer.MAX_VALUE - 8;
        if (needed > max) {
            throw new IllegalStateException("a snapshot of " + needed + " bytes exceeds one array's 2 GiB");
        }
        long headroom = Math.min(needed >> 3, MAX_HEADROOM);
        return new ExpandableArrayBuffer((int) Math.min(max, Math.max(64, needed + headroom)));
    }
}
