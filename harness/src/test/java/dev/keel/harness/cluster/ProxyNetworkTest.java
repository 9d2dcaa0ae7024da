package dev.keel.harness.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The proxy between a fake dialing member (n1) and a fake member behind the proxy (n2), over loopback. */
class ProxyNetworkTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int SOCKET_TIMEOUT_MILLIS = 5_000;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private ServerSocket member;
    private ProxyNetwork network;
    private int proxyPort;

    @BeforeEach
    void startProxy() throws IOException {
        member = new ServerSocket(0, 50, LOOPBACK);
        member.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        network = new ProxyNetwork(7, log::add);
        proxyPort = network.addProxy("n2", member.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        network.close();
        member.close();
    }

    /** A dialer's socket and the member's accepted end of the same proxied connection. */
    private record Pair(Socket dialer, Socket accepted) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            dialer.close();
            accepted.close();
        }
    }

    private Pair connect() throws IOException {
        Socket dialer = new Socket(LOOPBACK, proxyPort);
        dialer.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        Socket accepted = member.accept();
        accepted.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        return new Pair(dialer, accepted);
    }

    /** Connects as member n1 and exchanges handshakes as Keel does (dialer first). */
    private Pair connectAsN1() throws IOException {
        Pair pair = connect();
        byte[] hello = PeerFrames.handshake(1, 2, "n1\nhttp://127.0.0.1:1\nhttp://127.0.0.1:2");
        send(pair.dialer, hello);
        assertArrayEquals(hello, PeerFrames.read(pair.accepted.getInputStream()));
        byte[] answer = PeerFrames.handshake(2, 1, "n2\nhttp://127.0.0.1:3\nhttp://127.0.0.1:4");
        send(pair.accepted, answer);
        assertArrayEquals(answer, PeerFrames.read(pair.dialer.getInputStream()));
        return pair;
    }

    private static void send(Socket socket, byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    private static void sendFrame(Socket socket, String text) throws IOException {
        send(socket, PeerFrames.frame(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String readFrame(Socket socket) throws IOException {
        byte[] frame = PeerFrames.read(socket.getInputStream());
        return new String(frame, PeerFrames.LENGTH_PREFIX_BYTES, frame.length - PeerFrames.LENGTH_PREFIX_BYTES,
                StandardCharsets.UTF_8);
    }

    /** The proxy judges a frame when it reads it, so a rule change must wait until it has. */
    private void awaitDropped(String from, String to, long count) {
        assertTrue(Waits.poll(SOCKET_TIMEOUT_MILLIS, 5, () -> network.dropped(from, to) >= count
                ? java.util.Optional.of(true) : java.util.Optional.empty()).isPresent(),
                from + "->" + to + " dropped " + network.dropped(from, to) + " frames, expected " + count);
    }

    @Test
    void framesPassBothWaysUntilALinkIsBlockedOneWay() throws IOException {
        try (Pair pair = connectAsN1()) {
            sendFrame(pair.dialer, "a");
            assertEquals("a", readFrame(pair.accepted));

            network.block("n1", "n2");
            sendFrame(pair.dialer, "lost");
            awaitDropped("n1", "n2", 1);
            sendFrame(pair.accepted, "still flows back");
            assertEquals("still flows back", readFrame(pair.dialer));
            assertEquals("n1->n2 blocked", network.describe());

            network.heal();
            sendFrame(pair.dialer, "b");
            assertEquals("b", readFrame(pair.accepted), "the blocked frame was dropped, the next one passes");
        }
        assertTrue(log.contains("n1->n2 blocked"), log.toString());
    }

    @Test
    void aDelayedLinkHoldsFramesInOrder() throws IOException {
        try (Pair pair = connectAsN1()) {
            network.delay("n2", "n1", 300);
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                sendFrame(pair.accepted, "m" + i);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("m" + i, readFrame(pair.dialer));
            }
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMillis >= 300 && elapsedMillis < 3_000, "20 frames took " + elapsedMillis + " ms");
        }
    }

    @Test
    void droppingEverythingIsABlockAndDroppingNothingPassesAll() throws IOException {
        try (Pair pair = connectAsN1()) {
            network.drop("n2", "n1", 1.0);
            sendFrame(pair.accepted, "lost");
            awaitDropped("n2", "n1", 1);
            network.drop("n2", "n1", 0.0);
            sendFrame(pair.accepted, "kept");
            assertEquals("kept", readFrame(pair.dialer));
        }
    }

    @Test
    void aConnectionThatNamesNoMemberPassesUnderAnyRule() throws IOException {
        network.block("n1", "n2");
        network.block("n2", "n1");
        try (Pair pair = connect()) {
            byte[] query = PeerFrames.handshake(0, 0, "");
            send(pair.dialer, query);
            assertArrayEquals(query, PeerFrames.read(pair.accepted.getInputStream()));
            sendFrame(pair.accepted, "answer");
            assertEquals("answer", readFrame(pair.dialer));
            sendFrame(pair.dialer, "more");
            assertEquals("more", readFrame(pair.accepted));
        }
    }

    @Test
    void aStreamThatIsNotFramedPassesByteForByte() throws IOException {
        try (Pair pair = connect()) {
            byte[] request = "GET /members HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            send(pair.dialer, request);
            pair.dialer.shutdownOutput();
            assertArrayEquals(request, pair.accepted.getInputStream().readAllBytes());
        }
    }

    @Test
    void framesAlreadyPassedReachTheDialerAfterTheMemberClosed() throws IOException {
        try (Pair pair = connectAsN1()) {
            sendFrame(pair.accepted, "last words");
            pair.accepted.close();
            assertEquals("last words", readFrame(pair.dialer));
            assertEquals(-1, pair.dialer.getInputStream().read());
        }
    }

    @Test
    void aDownMemberIsRefusedAndReconnectClosesOpenConnections() throws IOException {
        try (Pair pair = connectAsN1()) {
            network.reconnect();
            assertEquals(-1, pair.dialer.getInputStream().read());
        }
        int downPort = FreePorts.pick(1)[0];
        int downProxy = network.addProxy("n9", downPort);
        try (Socket dialer = new Socket(LOOPBACK, downProxy)) {
            dialer.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            InputStream in = dialer.getInputStream();
            assertEquals(-1, in.read());
        }
    }
}
