package dev.keel.transport.tcp;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

import static dev.keel.transport.tcp.TcpTestSupport.DEADLINE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link TlsChannel} alone, over a real loopback socket pair with both ends non-blocking: bulk data both ways,
 * then a TLS 1.3 KeyUpdate or a TLS 1.2 renegotiation in the middle of the stream (both start from
 * {@link SSLEngine#beginHandshake} on an established engine), then close_notify.
 */
class TlsChannelTest {
    private static final int BULK = 1024 * 1024;

    @Test
    void aKeyUpdateInTls13DoesNotDisturbTheStream() throws Exception {
        exchangeAcrossRehandshake("TLSv1.3");
    }

    @Test
    void aRenegotiationInTls12DoesNotDisturbTheStream() throws Exception {
        exchangeAcrossRehandshake("TLSv1.2");
    }

    private static void exchangeAcrossRehandshake(String protocol) throws Exception {
        TestPki.Identity ca = TestPki.authority("channel CA");
        SSLContext clientContext = TestPki.context(TestPki.peer(ca, "client"), ca);
        SSLContext serverContext = TestPki.context(TestPki.peer(ca, "server"), ca);
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel clientSocket = SocketChannel.open(listener.getLocalAddress());
                 SocketChannel serverSocket = listener.accept()) {
                clientSocket.configureBlocking(false);
                serverSocket.configureBlocking(false);
                SSLEngine clientEngine = engine(clientContext, true, protocol);
                SSLEngine serverEngine = engine(serverContext, false, protocol);
                Pair pair = new Pair(new TlsChannel(clientSocket, clientEngine),
                        new TlsChannel(serverSocket, serverEngine));
                pair.transfer(bytes(1, BULK), bytes(2, BULK));
                assertEquals(protocol, clientEngine.getSession().getProtocol());
                clientEngine.beginHandshake();
                pair.transfer(bytes(3, BULK), bytes(4, BULK));
                serverEngine.beginHandshake();
                pair.transfer(bytes(5, BULK), bytes(6, BULK));
                pair.client.closeOutbound();
                pair.awaitServerEnd();
            }
        }
    }

    private static SSLEngine engine(SSLContext context, boolean client, String protocol) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(client);
        engine.setNeedClientAuth(!client);
        engine.setEnabledProtocols(new String[] {protocol});
        return engine;
    }

    private static byte[] bytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Both ends driven from the test thread, as the I/O loop would, until the data is across. */
    private record Pair(TlsChannel client, TlsChannel server) {
        void transfer(byte[] toServer, byte[] toClient) throws IOException {
            ByteBuffer clientOut = ByteBuffer.wrap(toServer);
            ByteBuffer serverOut = ByteBuffer.wrap(toClient);
            ByteBuffer serverIn = ByteBuffer.allocate(toServer.length);
            ByteBuffer clientIn = ByteBuffer.allocate(toClient.length);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (serverIn.hasRemaining() || clientIn.hasRemaining()
                    || client.hasPendingOutput() || server.hasPendingOutput()) {
                client.write(clientOut);
                server.write(serverOut);
                assertTrue(server.read(serverIn) >= 0, "the server's stream ended early");
                assertTrue(client.read(clientIn) >= 0, "the client's stream ended early");
                if (System.nanoTime() - deadline > 0) {
                    fail("transfer stalled: server has " + serverIn.position() + ", client " + clientIn.position());
                }
                LockSupport.parkNanos(50_000);
            }
            assertTrue(Arrays.equals(toServer, serverIn.array()), "client to server intact");
            assertArrayEquals(toClient, clientIn.array(), "server to client intact");
        }

        void awaitServerEnd() throws IOException {
            ByteBuffer sink = ByteBuffer.allocate(1024);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (server.read(sink) >= 0) {
                assertEquals(0, sink.position(), "no data after close_notify");
                if (System.nanoTime() - deadline > 0) {
                    fail("close_notify never seen");
                }
                LockSupport.parkNanos(50_000);
            }
        }
    }
}
