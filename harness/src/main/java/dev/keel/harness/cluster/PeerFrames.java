package dev.keel.harness.cluster;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Keel's peer wire as the proxy sees it: frames of a big-endian i32 length and that many bytes, the first frame
 * each way a handshake (magic {@code KEEL}, sender's member ID at payload offset 40, member info length at 56,
 * member info from 60, whose first line is the sender's {@code --name}). Mirrors
 * {@code dev.keel.transport.tcp.Connection} and {@code Handshake} without depending on them.
 */
final class PeerFrames {
    static final int LENGTH_PREFIX_BYTES = Integer.BYTES;
    /** Keel refuses frames above 2^28 bytes; a longer length means this is not Keel's framing. */
    static final int MAX_FRAME_BYTES = 1 << 28;
    static final int HANDSHAKE_MAGIC = 0x4B45454C;
    static final int HANDSHAKE_FIXED_BYTES = 60;
    private static final int SENDER_OFFSET = 40;
    private static final int INFO_LENGTH_OFFSET = 56;

    private PeerFrames() {
    }

    /** Thrown when a length prefix is outside what Keel sends: the stream is not (or no longer) framed. */
    static final class NotFramedException extends IOException {
        private final byte[] prefix;

        NotFramedException(int length, byte[] prefix) {
            super("frame length " + length + " is outside 1.." + MAX_FRAME_BYTES);
            this.prefix = prefix.clone();
        }

        /** @return the four bytes read as the length, to pass on unchanged */
        byte[] prefix() {
            return prefix.clone();
        }
    }

    /**
     * Reads one whole frame.
     *
     * @return the frame with its length prefix, or null when the stream ended cleanly between frames
     * @throws NotFramedException when the length is out of bounds
     * @throws EOFException       when the stream ended inside a frame
     */
    static byte[] read(InputStream in) throws IOException {
        DataInputStream data = in instanceof DataInputStream d ? d : new DataInputStream(in);
        byte[] prefix = new byte[LENGTH_PREFIX_BYTES];
        int first = data.read(prefix, 0, 1);
        if (first < 0) {
            return null;
        }
        data.readFully(prefix, 1, LENGTH_PREFIX_BYTES - 1);
        int length = ByteBuffer.wrap(prefix).getInt();
        if (length <= 0 || length > MAX_FRAME_BYTES) {
            throw new NotFramedException(length, prefix);
        }
        byte[] frame = new byte[LENGTH_PREFIX_BYTES + length];
        System.arraycopy(prefix, 0, frame, 0, LENGTH_PREFIX_BYTES);
        data.readFully(frame, LENGTH_PREFIX_BYTES, length);
        return frame;
    }

    /** @return a frame (length prefix included) holding {@code payload} */
    static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(LENGTH_PREFIX_BYTES + payload.length).putInt(payload.length).put(payload).array();
    }

    /**
     * @param frame a whole frame, length prefix included
     * @return the sender's member name when the frame is a member's handshake; empty for anything else,
     *         including a {@code PeerQuery} (sender ID 0) or a handshake without member info
     */
    static Optional<String> handshakeSender(byte[] frame) {
        int payloadLength = frame.length - LENGTH_PREFIX_BYTES;
        if (payloadLength < HANDSHAKE_FIXED_BYTES) {
            return Optional.empty();
        }
        ByteBuffer payload = ByteBuffer.wrap(frame, LENGTH_PREFIX_BYTES, payloadLength).slice();
        if (payload.getInt(0) != HANDSHAKE_MAGIC || payload.getLong(SENDER_OFFSET) == 0) {
            return Optional.empty();
        }
        int infoLength = payload.getInt(INFO_LENGTH_OFFSET);
        if (infoLength <= 0 || infoLength != payloadLength - HANDSHAKE_FIXED_BYTES) {
            return Optional.empty();
        }
        String info = new String(frame, LENGTH_PREFIX_BYTES + HANDSHAKE_FIXED_BYTES, infoLength,
                StandardCharsets.UTF_8);
        int newline = info.indexOf('\n');
        String name = newline < 0 ? info : info.substring(0, newline);
        return name.isBlank() ? Optional.empty() : Optional.of(name);
    }

    /** @return a handshake frame as a Keel member sends it (for tests and fakes); the token hash is zeros */
    static byte[] handshake(long senderId, long expectedId, String memberInfo) {
        byte[] info = memberInfo.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(HANDSHAKE_FIXED_BYTES + info.length);
        payload.putInt(HANDSHAKE_MAGIC).putShort((short) 1).putShort((short) 0).put(new byte[32])
                .putLong(senderId).putLong(expectedId).putInt(info.length).put(info);
        return frame(payload.array());
    }
}
