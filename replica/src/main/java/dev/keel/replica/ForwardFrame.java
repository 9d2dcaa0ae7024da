package dev.keel.replica;

import dev.keel.kernel.raft.MessageLayout;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Replica-to-replica frames that travel on the same transport as Raft's messages: a follower forwarding a
 * client's write to the leader, the leader refusing one, and a member telling a removed member that it was
 * removed (sent only by a member that applied the removal, so it is a committed fact). The first byte tells them from Raft messages
 * (whose first byte is {@link MessageLayout#VERSION}).
 *
 * <pre>
 *  0 magic u8 (0x52) | 1 kind u8 | 2 flags u16 | 4 length i32 (whole frame)
 *  8 from i64 | 16 term i64 (the term the sender believes in) | 24 request ID i64 | 32 hint i64 (leader known)
 * 40 payload (FORWARD: the MVCC request)
 * </pre>
 *
 * A REJECT's flags may carry {@link #NEVER_PROPOSED}: the sender led the forward's term, never proposed the
 * request in it and never will (it no longer leads that term), so the write certainly never takes effect.
 * Without the flag a REJECT says only that this copy was refused: another copy (networks duplicate) may have
 * been proposed.
 */
final class ForwardFrame {
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    static final byte MAGIC = 0x52;
    static final byte FORWARD = 1;
    static final byte REJECT = 2;
    static final byte REMOVED = 3;
    static final int KIND_OFFSET = 1;
    static final int FLAGS_OFFSET = 2;
    /** REJECT flag: the request was certainly never proposed and never will be. */
    static final short NEVER_PROPOSED = 1;
    static final int LENGTH_OFFSET = 4;
    static final int FROM_OFFSET = 8;
    static final int TERM_OFFSET = 16;
    static final int REQUEST_ID_OFFSET = 24;
    static final int HINT_OFFSET = 32;
    static final int HEADER = 40;

    private ForwardFrame() {
    }

    static boolean isFrame(DirectBuffer buffer, int offset, int length) {
        return length >= 1 && buffer.getByte(offset) == MAGIC && MAGIC != MessageLayout.VERSION;
    }

    /** Encodes a frame; returns its length. */
    static int encode(MutableDirectBuffer out, byte kind, long from, long term, long requestId, long hint,
                      DirectBuffer payload, int offset, int length) {
        return encode(out, kind, (short) 0, from, term, requestId, hint, payload, offset, length);
    }

    /** Encodes a frame with {@code flags}; returns its length. */
    static int encode(MutableDirectBuffer out, byte kind, short flags, long from, long term, long requestId,
                      long hint, DirectBuffer payload, int offset, int length) {
        out.putByte(0, MAGIC);
        out.putByte(KIND_OFFSET, kind);
        out.putShort(FLAGS_OFFSET, flags, ORDER);
        out.putInt(LENGTH_OFFSET, HEADER + length, ORDER);
        out.putLong(FROM_OFFSET, from, ORDER);
        out.putLong(TERM_OFFSET, term, ORDER);
        out.putLong(REQUEST_ID_OFFSET, requestId, ORDER);
        out.putLong(HINT_OFFSET, hint, ORDER);
        if (length > 0) {
            out.putBytes(HEADER, payload, offset, length);
        }
        return HEADER + length;
    }

    /** @return whether the frame is well formed (peers are trusted less than the kernel's own decoder is) */
    static boolean valid(DirectBuffer buffer, int offset, int length) {
        if (length < HEADER || buffer.getInt(offset + LENGTH_OFFSET, ORDER) != length) {
            return false;
        }
        byte kind = buffer.getByte(offset + KIND_OFFSET);
        return kind == FORWARD || ((kind == REJECT || kind == REMOVED) && length == HEADER);
    }
}
