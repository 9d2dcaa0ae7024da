package dev.keel.kernel.mvcc.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The request header shared by every encoded request: {@code version:u8 | type:u8 | flags:u16}, little-endian,
 * followed by the type's body. The version lets a later Keel read entries an older one wrote.
 */
public final class RequestType {
    /** Encoding version written by this code. */
    public static final int VERSION = 1;
    /** Bytes of the header. */
    public static final int HEADER_LENGTH = 4;

    public static final int PUT = 1;
    public static final int RANGE = 2;
    public static final int DELETE_RANGE = 3;
    public static final int TXN = 4;
    public static final int COMPACT = 5;
    public static final int LEASE_GRANT = 6;
    public static final int LEASE_REVOKE = 7;
    public static final int LEASE_CHECKPOINT = 8;
    public static final int ALARM_DISARM = 9;
    /** Every auth operation ({@code dev.keel.kernel.auth.wire.AuthRequest}). */
    public static final int AUTH = 10;
    /** The caller envelope around a client request ({@code dev.keel.kernel.auth.wire.AuthEnvelope}). */
    public static final int AUTHED = 11;

    static final int TYPE_OFFSET = 1;
    static final int FLAGS_OFFSET = 2;

    private RequestType() {
    }

    /** Writes a header; returns the offset just after it. */
    public static int writeHeader(MutableDirectBuffer out, int at, int type, int flags) {
        out.putByte(at, (byte) VERSION);
        out.putByte(at + TYPE_OFFSET, (byte) type);
        out.putShort(at + FLAGS_OFFSET, (short) flags);
        return at + HEADER_LENGTH;
    }

    /** @return the type of the request at {@code offset}, or -1 if the bytes are too short or another version */
    public static int typeOf(DirectBuffer buffer, int offset, int length) {
        if (length < HEADER_LENGTH || buffer.getByte(offset) != VERSION) {
            return -1;
        }
        return buffer.getByte(offset + TYPE_OFFSET);
    }

    /** @return the flags of the request at {@code offset} */
    public static int flagsOf(DirectBuffer buffer, int offset) {
        return buffer.getShort(offset + FLAGS_OFFSET) & 0xFFFF;
    }
}
