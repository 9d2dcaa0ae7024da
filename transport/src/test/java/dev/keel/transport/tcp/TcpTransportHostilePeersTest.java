package dev.keel.transport.tcp;

import dev.keel.kernel.raft.MessageLayout;
import dev.keel.transport.tcp.TcpTestSupport.Log;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.keel.transport.tcp.TcpTestSupport.TOKEN;
import static dev.keel.transport.tcp.TcpTestSupport.TRANSPORT_MAX_FRAME;
import static dev.keel.transport.tcp.TcpTestSupport.append;
import static dev.keel.transport.tcp.TcpTestSupport.await;
import static dev.keel.transport.tcp.TcpTestSupport.awaitConnected;
import static dev.keel.transport.tcp.TcpTestSupport.closedByPeer;
import static dev.keel.transport.tcp.TcpTestSupport.handshakeFrame;
import static dev.keel.transport.tcp.TcpTestSupport.heartbeat;
import static dev.keel.transport.tcp.TcpTestSupport.readFrame;
import static dev.keel.transport.tcp.TcpTestSupport.receive;
import static dev.keel.transport.tcp.TcpTestSupport.sendAccepted;
import static dev.keel.transport.tcp.TcpTestSupport.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raw sockets that misbehave on a member's port: each loses its connection with one log line, and the member
 * keeps exchanging messages with its good peer throughout.
 */
class TcpTransportHostilePeersTest {
    private static final long GOOD = 1;
    private static final long LOCAL = 5;
    /** A known peer of LOCAL that no real transport plays: raw sockets impersonate it. */
    private static final long IMPERSONATED = 3;
    private static final InetSocketAddress NEVER_DIALED = new InetSocketAddress("127.0.0.1", 9);

    @Test
    void misbehavingConnectionsAreClosedAndGoodPeersUnaffected() throws IOException {
        Log log = new Log();
        try (TcpTransport local = transport(LOCAL, Map.of(GOOD, NEVER_DIALED, IMPERSONATED, NEVER_DIALED), log);
             TcpTransport good = transport(GOOD, Map.of(LOCAL, local.localAddress()), log)) {
            awaitConnected(good, local);
            long sequence = 0;
            InetSocketAddress port = local.localAddress();

            assertRefused(port, log, garbage(), "frame length");
            exchange(good, local, ++sequence);
            assertRefused(port, log, handshakeFrame("another-cluster", IMPERSONATED, LOCAL), "wrong cluster token");
            assertRefused(port, log, handshakeFrame(TOKEN, 9, LOCAL), "is not a known peer");
            assertRefused(port, log, handshakeFrame(TOKEN, IMPERSONATED, 7), "it expected member 7");
            assertRefused(port, log, oversizedLengthPrefix(), "frame length");
            assertRefused(port, log, frame(new byte[10]), "shorter than");
            exchange(good, local, ++sequence);
            assertEquals(6, local.stats().handshakesRejected());

            // Handshaken as a known member, then a frame over the maximum, then bytes the decoder refuses.
            assertRefusedAfterHandshake(port, log, oversizedLengthPrefix(), "frame length");
            assertRefusedAfterHandshake(port, log, frame(kernelVersionThenZeros()), "invalid message");
            assertRefusedAfterHandshake(port, log, frame(new byte[100]), "neither a kernel message nor a replica");
            assertRefusedAfterHandshake(port, log, frame(replicaFrame(GOOD)), "replica frame from 1");
            assertRefusedAfterHandshake(port, log, frame(bytesOf(heartbeat(GOOD, LOCAL, 1))), "message from 1 to 5");
            exchange(good, local, ++sequence);
            assertEquals(5, local.stats().decodeFailures());
            assertEquals(1, good.stats().connectionsOpened(), "the good peer's connection never dropped");
        }
    }

    @Test
    void aPeerThatNeverReadsCannotGrowTheQueueAndSendStaysPrompt() throws IOException {
        Log log = new Log();
        try (ServerSocket silent = new ServerSocket()) {
            silent.setReceiveBufferSize(16 * 1024);
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            try (TcpTransport local = transport(1, Map.of(2L, (InetSocketAddress) silent.getLocalSocketAddress()), log);
                 Socket accepted = silent.accept()) {
                readFrame(accepted.getInputStream());
                accepted.getOutputStream().write(handshakeFrame(TOKEN, 2, 1));
                await(() -> local.isConnected(2), "the silent peer's handshake accepted");

                UnsafeBuffer message = append(1, 2, 1, 4096);
                int capacity = 1024 * 1024;
                long bytesOffered = 0;
                long started = System.nanoTime();
                for (int i = 0; i < 50_000; i++) {
                    local.send(2, message, 0, message.capacity());
                    bytesOffered += message.capacity();
                    assertTrue(local.queuedBytes(2) <= capacity, "queue above its bound");
                }
                long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
                TcpTransportStats stats = local.stats();
                assertTrue(bytesOffered > 100L * capacity, "the test pushes far more than the bound");
                assertTrue(stats.messagesDroppedOverflow() + stats.messagesDroppedQueueFull() > 40_000,
                        "most messages were dropped, not kept: " + stats);
                assertTrue(elapsedMillis < 10_000, "50000 sends took " + elapsedMillis + " ms");
                assertTrue(local.isConnected(2), "a slow peer is not disconnected for being slow");
            }
        }
    }

    @Test
    void aPeerThatNeverAnswersTheHandshakeGetsNothingQueued() throws IOException {
        Log log = new Log();
        try (ServerSocket mute = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             TcpTransport local = transport(1, Map.of(2L, (InetSocketAddress) mute.getLocalSocketAddress()), log);
             Socket accepted = mute.accept()) {
            readFrame(accepted.getInputStream());
            UnsafeBuffer message = heartbeat(1, 2, 1);
            for (int i = 0; i < 10_000; i++) {
                assertFalse(local.send(2, message, 0, message.capacity()));
            }
            assertEquals(0, local.queuedBytes(2));
            assertEquals(10_000, local.stats().messagesDroppedDisconnected());
        }
    }

    @Test
    void silentConnectionsAreDroppedAtTheHandshakeTimeoutWhileGoodPeersAreServed() throws IOException {
        Log log = new Log();
        int silent = 200;
        List<Socket> sockets = new ArrayList<>();
        try (TcpTransport local = transport(LOCAL, Map.of(GOOD, NEVER_DIALED, IMPERSONATED, NEVER_DIALED), log);
             TcpTransport good = transport(GOOD, Map.of(LOCAL, local.localAddress()), log)) {
            awaitConnected(good, local);
            InetSocketAddress port = local.localAddress();
            for (int i = 0; i < silent; i++) {
                sockets.add(new Socket(port.getAddress(), port.getPort())); // connect, then say nothing
            }
            exchange(good, local, 1); // served while 200 strangers hold connections
            // A member connecting during the flood gets in: the oldest strangers make room, not the newcomer.
            try (Socket member = new Socket(port.getAddress(), port.getPort())) {
                member.getOutputStream().write(handshakeFrame(TOKEN, IMPERSONATED, LOCAL));
                member.getOutputStream().flush();
                readFrame(member.getInputStream());
                await(() -> local.isConnected(IMPERSONATED), "the member's handshake accepted during the flood");
            }
            for (Socket socket : sockets) {
                assertTrue(closedByPeer(socket), "a silent connection kept open past the handshake timeout");
            }
            // At most 64 wait for a handshake at once (bounded memory): the rest were evicted, oldest first.
            await(() -> log.count("no handshake within 5000 ms") + log.count("evicted: 64 connections") == silent,
                    "one line per silent connection");
            assertTrue(log.count("no handshake within 5000 ms") >= 1, "the last ones timed out");
            assertEquals(silent, local.stats().handshakesRejected());
            exchange(good, local, 2);
            assertEquals(1, good.stats().connectionsOpened(), "the good peer's connection never dropped");
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aFrameOneByteOverTheMaximumIsRefusedAfterTheHandshakeAndOneAtTheMaximumIsRead() throws IOException {
        Log log = new Log();
        int max = TRANSPORT_MAX_FRAME;
        try (TcpTransport local = transport(LOCAL, Map.of(GOOD, NEVER_DIALED, IMPERSONATED, NEVER_DIALED), log)) {
            InetSocketAddress port = local.localAddress();
            assertRefusedAfterHandshake(port, log, ByteBuffer.allocate(8).putInt(max + 1).putInt(0).array(),
                    "frame length " + (max + 1) + " is outside 1.." + max);
            // Exactly the maximum is read whole and handed to the decoder, which refuses zeros for what they are.
            assertRefusedAfterHandshake(port, log, frame(new byte[max]), "neither a kernel message nor a replica");
            assertEquals(2, local.stats().decodeFailures() + local.stats().handshakesRejected());
        }
    }

    /** Opens a raw connection, sends {@code bytes}, and expects the member to close it with one log line. */
    private static void assertRefused(InetSocketAddress port, Log log, byte[] bytes, String reason)
            throws IOException {
        try (Socket socket = new Socket(port.getAddress(), port.getPort())) {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            assertTrue(closedByPeer(socket), "connection kept open after: " + reason);
            String marker = ":" + socket.getLocalPort() + ":";
            await(() -> log.count(marker) == 1, "one log line for " + marker);
            assertTrue(log.lines.stream().anyMatch(l -> l.contains(marker) && l.contains(reason)),
                    "log names the reason " + reason + ": " + log.lines);
        }
    }

    /** Like {@link #assertRefused}, but first completes a valid handshake as {@link #IMPERSONATED}. */
    private static void assertRefusedAfterHandshake(InetSocketAddress port, Log log, byte[] bytes, String reason)
            throws IOException {
        try (Socket socket = new Socket(port.getAddress(), port.getPort())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(handshakeFrame(TOKEN, IMPERSONATED, LOCAL));
            out.flush();
            readFrame(in);
            out.write(bytes);
            out.flush();
            assertTrue(closedByPeer(socket), "connection kept open after: " + reason);
            String marker = ":" + socket.getLocalPort() + ":";
            await(() -> log.count(marker) == 1, "one closing line for " + marker);
            assertTrue(log.lines.stream().anyMatch(l -> l.contains(marker) && l.contains(reason)),
                    "log names the reason " + reason + ": " + log.lines);
        }
    }

    private static void exchange(TcpTransport good, TcpTransport local, long sequence) {
        sendAccepted(good, local.localId(), heartbeat(good.localId(), local.localId(), sequence));
        assertEquals(sequence, receive(local, 1).get(0).sequence());
        sendAccepted(local, good.localId(), heartbeat(local.localId(), good.localId(), sequence));
        assertEquals(sequence, receive(good, 1).get(0).sequence());
    }

    private static byte[] kernelVersionThenZeros() {
        byte[] bytes = new byte[100];
        bytes[0] = MessageLayout.VERSION;
        return bytes;
    }

    /** @return a frame shaped like the replica's ForwardFrame envelope, claiming {@code from} as its sender */
    static byte[] replicaFrame(long from) {
        UnsafeBuffer frame = new UnsafeBuffer(new byte[48]);
        frame.putByte(0, TcpTransport.REPLICA_FRAME_MAGIC);
        frame.putByte(1, (byte) 1);
        frame.putInt(4, 48, MessageLayout.ORDER);
        frame.putLong(8, from, MessageLayout.ORDER);
        return frame.byteArray();
    }

    private static byte[] garbage() {
        return "GET / HTTP/1.1\r\nHost: keel\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] oversizedLengthPrefix() {
        return ByteBuffer.allocate(8).putInt(64 * 1024 * 1024).putInt(0).array();
    }

    private static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    private static byte[] bytesOf(UnsafeBuffer buffer) {
        byte[] bytes = new byte[buffer.capacity()];
        buffer.getBytes(0, bytes);
        return bytes;
    }
}
