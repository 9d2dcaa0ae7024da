package dev.keel.replica;

import dev.keel.kernel.raft.MessageLayout;
import dev.keel.transport.tcp.TcpTransport;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The TCP transport lets the replica's frames through by their first byte and checks the envelope they share
 * with kernel messages (length at 4, sender at 8, little-endian); this pins those facts to {@link ForwardFrame}.
 */
class ForwardFrameOverTcpTest {
    @Test
    void theTransportKnowsTheReplicaFrameEnvelope() {
        assertEquals(ForwardFrame.MAGIC, TcpTransport.REPLICA_FRAME_MAGIC);
        assertEquals(MessageLayout.ORDER, ForwardFrame.ORDER);
        assertEquals(4, ForwardFrame.LENGTH_OFFSET);
        assertEquals(8, ForwardFrame.FROM_OFFSET);

        ExpandableArrayBuffer out = new ExpandableArrayBuffer();
        int length = ForwardFrame.encode(out, ForwardFrame.FORWARD, 7, 3, 11, 0, new UnsafeBuffer(new byte[5]), 0, 5);
        assertEquals(length, out.getInt(4, MessageLayout.ORDER));
        assertEquals(7, out.getLong(8, MessageLayout.ORDER));
    }
}
