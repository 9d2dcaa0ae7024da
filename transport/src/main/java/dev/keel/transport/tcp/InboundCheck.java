package dev.keel.transport.tcp;

import dev.keel.kernel.raft.DecodeStatus;
import dev.keel.kernel.raft.MessageDecoder;
import dev.keel.kernel.raft.MessageLayout;
import org.agrona.DirectBuffer;

/**
 * Decides whether a frame from an established connection may go up to the host. Two kinds travel: the kernel's
 * messages (first byte {@link MessageLayout#VERSION}), checked in full by the kernel's {@link MessageDecoder},
 * and the replica's own frames (first byte {@link TcpTransport#REPLICA_FRAME_MAGIC}: forwarded writes, their
 * rejections, removal notices), whose body the replica validates itself; here they are held to the envelope
 * both kinds share (length i32 at 4, sender i64 at 8, little-endian). Either kind must name the connection's
 * peer as its sender, so one member cannot speak for another.
 */
final class InboundCheck {
    private static final int SHARED_ENVELOPE_BYTES = 16;
    private static final int LENGTH_OFFSET = 4;
    private static final int FROM_OFFSET = 8;

    private final MessageDecoder decoder = new MessageDecoder();
    private final long localId;

    InboundCheck(long localId) {
        this.localId = localId;
    }

    /** @throws ProtocolException if the frame must not reach the host; the connection is then closed */
    void check(DirectBuffer buffer, int offset, int length, long peerId) throws ProtocolException {
        byte first = buffer.getByte(offset);
        if (first == MessageLayout.VERSION) {
            int status = decoder.wrap(buffer, offset, length);
            if (status != DecodeStatus.OK) {
                throw new ProtocolException("invalid message (" + DecodeStatus.describe(status) + ")");
            }
            if (decoder.from() != peerId || decoder.to() != localId) {
                throw new ProtocolException("message from " + Long.toHexString(decoder.from()) + " to "
                        + Long.toHexString(decoder.to()) + " on this connection");
            }
            return;
        }
        if (first != TcpTransport.REPLICA_FRAME_MAGIC) {
            throw new ProtocolException("neither a kernel message nor a replica frame (first byte 0x"
                    + Integer.toHexString(first & 0xFF) + ")");
        }
        if (length < SHARED_ENVELOPE_BYTES
                || buffer.getInt(offset + LENGTH_OFFSET, MessageLayout.ORDER) != length) {
            throw new ProtocolException("replica frame of " + length + " bytes with a wrong length field");
        }
        long from = buffer.getLong(offset + FROM_OFFSET, MessageLayout.ORDER);
        if (from != peerId) {
            throw new ProtocolException("replica frame from " + Long.toHexString(from) + " on this connection");
        }
    }
}
