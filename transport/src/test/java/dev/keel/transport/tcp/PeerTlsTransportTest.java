package dev.keel.transport.tcp;

import dev.keel.transport.tcp.TcpTestSupport.Log;
import dev.keel.transport.tcp.TcpTestSupport.Received;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static dev.keel.transport.tcp.TcpTestSupport.ANY_LOOPBACK;
import static dev.keel.transport.tcp.TcpTestSupport.TOKEN;
import static dev.keel.transport.tcp.TcpTestSupport.append;
import static dev.keel.transport.tcp.TcpTestSupport.await;
import static dev.keel.transport.tcp.TcpTestSupport.awaitConnected;
import static dev.keel.transport.tcp.TcpTestSupport.heartbeat;
import static dev.keel.transport.tcp.TcpTestSupport.info;
import static dev.keel.transport.tcp.TcpTestSupport.receive;
import static dev.keel.transport.tcp.TcpTestSupport.sendAccepted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on the peer port: two members exchange messages inside TLS, and peers that fail TLS — a certificate from
 * another CA, no certificate, plaintext on a TLS port, TLS on a plaintext port — are refused with one log line
 * while the port keeps serving good peers.
 */
class PeerTlsTransportTest {
    private static final long DIALER = 1;
    private static final long ACCEPTOR = 2;
    private static final int MAX_FRAME = TcpTransport.DEFAULT_MAX_FRAME_BYTES;
    private static final int QUEUE = 16 * 1024 * 1024;

    private static TestPki.Identity clusterCa;
    private static TestPki.Identity otherCa;
    private static SSLContext good;
    private static SSLContext good2;

    @BeforeAll
    static void makeCertificates() throws Exception {
        clusterCa = TestPki.authority("keel peer CA");
        otherCa = TestPki.authority("some other CA");
        good = TestPki.context(TestPki.peer(clusterCa, "member-1"), clusterCa);
        good2 = TestPki.context(TestPki.peer(clusterCa, "member-2"), clusterCa);
    }

    static PeerTls mtls(SSLContext context) {
        return new PeerTls(() -> context, true, List.of());
    }

    static TcpTransport tlsTransport(long id, Map<Long, InetSocketAddress> peers, Log log, PeerTls tls) {
        return new TcpTransport(id, peers, ANY_LOOPBACK, TOKEN, info(id), MAX_FRAME, QUEUE, log, tls);
    }

    @Test
    void membersExchangeLargeAndManySmallMessagesOverTlsBothWays() {
        Log log = new Log();
        try (TcpTransport acceptor = tlsTransport(ACCEPTOR, Map.of(), log, mtls(good2));
             TcpTransport dialer = tlsTransport(DIALER, Map.of(ACCEPTOR, acceptor.localAddress()), log,
                     mtls(good))) {
            acceptor.addPeer(DIALER, new InetSocketAddress("127.0.0.1", 9));
            awaitConnected(dialer, acceptor);
            assertArrayEquals(info(ACCEPTOR), dialer.peerInfo(ACCEPTOR), "the Keel handshake ran inside TLS");
            exchangeBig(dialer, acceptor, 1);
            exchangeBig(acceptor, dialer, 2);
            exchangeMany(dialer, acceptor, 3000);
            exchangeMany(acceptor, dialer, 3000);
            assertEquals(0, acceptor.stats().tlsHandshakesFailed() + dialer.stats().tlsHandshakesFailed());
            assertEquals(1, dialer.stats().connectionsOpened(), "one connection carried everything");
        }
    }

    private static void exchangeBig(TcpTransport from, TcpTransport to, long sequence) {
        UnsafeBuffer message = append(from.localId(), to.localId(), sequence, 4 * 1024 * 1024);
        sendAccepted(from, to.localId(), message);
        Received received = receive(to, 1).get(0);
        assertEquals(sequence, received.sequence());
        assertArrayEquals(message.byteArray(), received.bytes(), "the 4 MiB frame arrived intact");
    }

    private static void exchangeMany(TcpTransport from, TcpTransport to, int count) {
        for (int i = 1; i <= count; i++) {
            UnsafeBuffer message = heartbeat(from.localId(), to.localId(), i);
            sendAccepted(from, to.localId(), message);
        }
        List<Received> received = receive(to, count);
        for (int i = 0; i < count; i++) {
            assertEquals(i + 1, received.get(i).sequence(), "in order");
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedAndLoggedAndAGoodPeerIsStillAccepted() throws Exception {
        Log acceptorLog = new Log();
        Log dialerLog = new Log();
        SSLContext foreign = TestPki.context(TestPki.peer(otherCa, "intruder"), clusterCa);
        try (TcpTransport acceptor = tlsTransport(ACCEPTOR, Map.of(DIALER, new InetSocketAddress("127.0.0.1", 9)),
                acceptorLog, mtls(good2))) {
            try (TcpTransport intruder = tlsTransport(DIALER, Map.of(ACCEPTOR, acceptor.localAddress()), dialerLog,
                    mtls(foreign))) {
                await(() -> acceptor.stats().tlsHandshakesFailed() >= 3, "three refused handshakes");
                assertFalse(acceptor.isConnected(DIALER));
                assertFalse(intruder.isConnected(ACCEPTOR));
                assertFalse(intruder.send(ACCEPTOR, heartbeat(DIALER, ACCEPTOR, 1), 0, 64));
                assertEquals(0, acceptor.stats().messagesReceived(), "nothing delivered");
                assertEquals(0, acceptor.stats().connectionsOpened());
                assertTrue(acceptorLog.lines.stream().anyMatch(line -> line.matches(
                        "tcp transport: refused peer /127\\.0\\.0\\.1:\\d+: TLS handshake failed: PKIX path .+")),
                        "a refusal line names the peer and the reason: " + acceptorLog.lines);
                assertEquals(1, dialerLog.count("cannot reach member 2"),
                        "the dialler logs once per run of failures, not per attempt");
            }
            try (TcpTransport member = tlsTransport(DIALER, Map.of(ACCEPTOR, acceptor.localAddress()),
                    dialerLog, mtls(good))) {
                awaitConnected(member, acceptor);
                sendAccepted(member, ACCEPTOR, heartbeat(DIALER, ACCEPTOR, 7));
                assertEquals(7, receive(acceptor, 1).get(0).sequence());
            }
        }
    }

    @Test
    void aPeerWhoseCertificateDoesNotNameTheDialledHostIsRefusedByTheDialler() throws Exception {
        Log dialerLog = new Log();
        // Signed by the cluster's CA, but for another address: the dialler reached 127.0.0.1, so it is not that peer.
        SSLContext elsewhere = TestPki.context(TestPki.peer(clusterCa, "member-2", "10.9.9.9"), clusterCa);
        try (TcpTransport acceptor = tlsTransport(ACCEPTOR, Map.of(DIALER, new InetSocketAddress("127.0.0.1", 9)),
                new Log(), mtls(elsewhere));
             TcpTransport dialer = tlsTransport(DIALER, Map.of(ACCEPTOR, acceptor.localAddress()), dialerLog,
                     mtls(good))) {
            await(() -> dialerLog.count("cannot reach member 2") >= 1, "the dialler's refusal");
            assertTrue(dialerLog.lines.stream().anyMatch(line -> line.contains("No subject alternative names matching"
                    + " IP address 127.0.0.1 found")), dialerLog.lines.toString());
            assertFalse(dialer.isConnected(ACCEPTOR));
            assertEquals(0, acceptor.stats().messagesReceived(), "nothing delivered");
        }
    }

    @Test
    void noClientCertificateIsRefusedWhenOneIsRequired() throws Exception {
        Log acceptorLog = new Log();
        SSLContext anonymous = TestPki.context(null, clusterCa);
        try (TcpTransport acceptor = tlsTransport(ACCEPTOR, Map.of(DIALER, new InetSocketAddress("127.0.0.1", 9)),
                acceptorLog, mtls(good2));
             TcpTransport dialer = tlsTransport(DIALER, Map.of(ACCEPTOR, acceptor.localAddress()), new Log(),
                     mtls(anonymous))) {
            await(() -> acceptor.stats().tlsHandshakesFailed() >= 1, "a refused handshake");
            await(() -> acceptorLog.count("refused peer /127.0.0.1:") >= 1, "a refusal line");
            assertTrue(acceptorLog.lines.stream().anyMatch(line -> line.contains("TLS handshake failed")),
                    acceptorLog.lines.toString());
            assertFalse(dialer.isConnected(ACCEPTOR));
            assertEquals(0, acceptor.stats().connectionsOpened());
        }
    }

    @Test
    void plaintextDiallerToATlsPortIsRefusedAndBothStayUp() {
        Log acceptorLog = new Log();
        Log dialerLog = new Log();
        try (TcpTransport acceptor = tlsTransport(ACCEPTOR, Map.of(DIALER, new InetSocketAddress("127.0.0.1", 9)),
                acceptorLog, mtls(good2))) {
            try (TcpTransport plain = tlsTransport(DIALER, Map.of(ACCEPTOR, acceptor.localAddress()), dialerLog,
                    null)) {
                await(() -> acceptor.stats().tlsHandshakesFailed() >= 2, "plaintext refused twice");
                assertTrue(acceptorLog.lines.stream().anyMatch(line -> line.startsWith("tcp transport: refused peer")
                        && line.contains("TLS handshake failed")), acceptorLog.lines.toString());
                assertFalse(plain.isConnected(ACCEPTOR));
                await(() -> dialerLog.count("cannot reach member 2") == 1, "the plaintext dialler's line");
                // The plaintext member still serves plaintext peers.
                try (TcpTransport plainPeer = tlsTransport(ACCEPTOR + 1, Map.of(), new Log(), null)) {
                    plainPeer.addPeer(DIALER, new InetSocketAddress("127.0.0.1", 9));
                    plain.addPeer(ACCEPTOR + 1, plainPeer.localAddress());
                    awaitConnected(plain, plainPeer);
                }
            }
            try (TcpTransport member = tlsTransport(DIALER, Map.of(ACCEPTOR, acceptor.localAddress()), new Log(),
                    mtls(good))) {
                awaitConnected(member, acceptor);
            }
        }
    }

    @Test
    void tlsDiallerToAPlaintextPortIsRefusedAndBothStayUp() {
        Log acceptorLog = new Log();
        Log dialerLog = new Log();
        try (TcpTransport plainAcceptor = tlsTransport(ACCEPTOR,
                Map.of(DIALER, new InetSocketAddress("127.0.0.1", 9)), acceptorLog, null)) {
            try (TcpTransport tlsDialer = tlsTransport(DIALER, Map.of(ACCEPTOR, plainAcceptor.localAddress()),
                    dialerLog, mtls(good))) {
                await(() -> tlsDialer.stats().tlsHandshakesFailed() >= 2, "the TLS dialler failed twice");
                await(() -> acceptorLog.count("the peer uses TLS, this port is plaintext") >= 1,
                        "the plaintext side names the mismatch");
                assertEquals(1, dialerLog.count("cannot reach member 2"), dialerLog.lines.toString());
                assertTrue(dialerLog.lines.stream().anyMatch(line -> line.contains("TLS handshake failed")),
                        dialerLog.lines.toString());
                assertFalse(plainAcceptor.isConnected(DIALER));
            }
            try (TcpTransport member = tlsTransport(DIALER, Map.of(ACCEPTOR, plainAcceptor.localAddress()),
                    new Log(), null)) {
                awaitConnected(member, plainAcceptor);
            }
        }
    }
}
