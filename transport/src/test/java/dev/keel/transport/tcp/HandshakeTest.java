package dev.keel.transport.tcp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeTest {
    private static final byte[] TOKEN_HASH = Handshake.hashToken("cluster-a");

    @Test
    void roundTrips() throws ProtocolException {
        Handshake sent = new Handshake(3, 9, new byte[]{1, 2, 3});
        UnsafeBuffer frame = frameOf(sent, TOKEN_HASH);
        assertEquals(Handshake.FIXED_BYTES + 3, frame.getInt(0, java.nio.ByteOrder.BIG_ENDIAN));
        assertEquals(sent, Handshake.read(frame, 4, frame.capacity() - 4, TOKEN_HASH));
    }

    @Test
    void refusesAnotherClusterAVersionAndBadLengths() {
        UnsafeBuffer other = frameOf(new Handshake(3, 9, new byte[0]), Handshake.hashToken("cluster-b"));
        assertMessage("wrong cluster token", other, other.capacity() - 4);

        UnsafeBuffer future = frameOf(new Handshake(3, 9, new byte[0]), TOKEN_HASH);
        future.putShort(8, (short) 2, java.nio.ByteOrder.BIG_ENDIAN);
        assertMessage("version 2", future, future.capacity() - 4);

        UnsafeBuffer truncated = frameOf(new Handshake(3, 9, new byte[10]), TOKEN_HASH);
        assertMessage("member info of 10 bytes", truncated, truncated.capacity() - 4 - 1);
        assertMessage("shorter than", truncated, 20);

        UnsafeBuffer notKeel = frameOf(new Handshake(3, 9, new byte[0]), TOKEN_HASH);
        notKeel.putInt(4, 0x47455420);
        assertMessage("magic", notKeel, notKeel.capacity() - 4);
    }

    private static void assertMessage(String fragment, UnsafeBuffer frame, int length) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> Handshake.read(frame, 4, length, TOKEN_HASH));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static UnsafeBuffer frameOf(Handshake handshake, byte[] tokenHash) {
        ByteBuffer buffer = ByteBuffer.allocate(handshake.frameLength());
        handshake.writeFrame(buffer, tokenHash);
        return new UnsafeBuffer(buffer.array());
    }
}
