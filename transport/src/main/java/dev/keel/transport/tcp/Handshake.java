package dev.keel.transport.tcp;

import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The first frame each side of a connection sends. Big-endian:
 *
 * <pre>
 *  0 magic i32 "KEEL" | 4 version u16 | 6 reserved u16 (zero) | 8 SHA-256 of the cluster token (32 bytes)
 * 40 sender's member ID i64 | 48 member ID the sender expects at the other end i64
 * 56 member info length i32 | 60 member info (opaque to the transport)
 * </pre>
 *
 * The dialer sends first; the acceptor checks it and answers with its own. A handshake is small, so a
 * connection that has not identified itself is held to {@link #MAX_FRAME_BYTES} and never makes the transport
 * allocate a full-size frame buffer.
 */
record Handshake(long senderId, long expectedId, byte[] memberInfo) {
    static final int MAGIC = 0x4B45454C;
    static final short VERSION = 1;
    static final int TOKEN_HASH_BYTES = 32;
    static final int FIXED_BYTES = 60;
    /** Member info above this is refused: it is a name and a few URLs. */
    static final int MAX_INFO_BYTES = 64 * 1024;
    static final int MAX_FRAME_BYTES = FIXED_BYTES + MAX_INFO_BYTES;

    private static final int VERSION_OFFSET = 4;
    private static final int RESERVED_OFFSET = 6;
    private static final int TOKEN_OFFSET = 8;
    private static final int SENDER_OFFSET = 40;
    private static final int EXPECTED_OFFSET = 48;
    private static final int INFO_LENGTH_OFFSET = 56;

    /** @return the SHA-256 of the token's UTF-8 bytes, so the token itself never crosses the wire */
    static byte[] hashToken(String clusterToken) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(clusterToken.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** @return bytes the frame takes on the wire, length prefix included */
    int frameLength() {
        return Integer.BYTES + FIXED_BYTES + memberInfo.length;
    }

    /** Writes the length-prefixed frame at {@code target}'s position (big-endian). */
    void writeFrame(ByteBuffer target, byte[] tokenHash) {
        target.order(ByteOrder.BIG_ENDIAN);
        target.putInt(FIXED_BYTES + memberInfo.length);
        target.putInt(MAGIC);
        target.putShort(VERSION);
        target.putShort((short) 0);
        target.put(tokenHash);
        target.putLong(senderId);
        target.putLong(expectedId);
        target.putInt(memberInfo.length);
        target.put(memberInfo);
    }

    /**
     * Reads and checks a handshake frame's payload.
     *
     * @throws ProtocolException if it is not a handshake of this version and cluster
     */
    static Handshake read(DirectBuffer buffer, int offset, int length, byte[] expectedTokenHash)
            throws ProtocolException {
        if (length < FIXED_BYTES) {
            throw new ProtocolException("handshake of " + length + " bytes is shorter than " + FIXED_BYTES);
        }
        if (buffer.getInt(offset, ByteOrder.BIG_ENDIAN) != MAGIC) {
            throw new ProtocolException("not a Keel peer (bad handshake magic)");
        }
        short version = buffer.getShort(offset + VERSION_OFFSET, ByteOrder.BIG_ENDIAN);
        if (version != VERSION) {
            throw new ProtocolException("handshake version " + version + ", this node speaks " + VERSION);
        }
        if (buffer.getShort(offset + RESERVED_OFFSET, ByteOrder.BIG_ENDIAN) != 0) {
            throw new ProtocolException("handshake reserved field is not zero");
        }
        byte[] tokenHash = new byte[TOKEN_HASH_BYTES];
        buffer.getBytes(offset + TOKEN_OFFSET, tokenHash);
        if (!MessageDigest.isEqual(tokenHash, expectedTokenHash)) {
            throw new ProtocolException("wrong cluster token");
        }
        int infoLength = buffer.getInt(offset + INFO_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN);
        if (infoLength != length - FIXED_BYTES) {
            throw new ProtocolException("handshake member info of " + infoLength + " bytes in a frame with "
                    + (length - FIXED_BYTES));
        }
        byte[] info = new byte[infoLength];
        buffer.getBytes(offset + FIXED_BYTES, info);
        return new Handshake(buffer.getLong(offset + SENDER_OFFSET, ByteOrder.BIG_ENDIAN),
                buffer.getLong(offset + EXPECTED_OFFSET, ByteOrder.BIG_ENDIAN), info);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Handshake that && senderId == that.senderId && expectedId == that.expectedId
                && Arrays.equals(memberInfo, that.memberInfo);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(senderId) * 31 + Long.hashCode(expectedId) * 17 + Arrays.hashCode(memberInfo);
    }

    @Override
    public String toString() {
        return "Handshake[sender=" + senderId + ", expected=" + expectedId + ", info=" + memberInfo.length + "B]";
    }
}
