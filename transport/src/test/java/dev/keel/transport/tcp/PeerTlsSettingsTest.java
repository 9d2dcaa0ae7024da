package dev.keel.transport.tcp;

import dev.keel.transport.tcp.TcpTestSupport.Log;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static dev.keel.transport.tcp.PeerTlsTransportTest.mtls;
import static dev.keel.transport.tcp.PeerTlsTransportTest.tlsTransport;
import static dev.keel.transport.tcp.TcpTestSupport.await;
import static dev.keel.transport.tcp.TcpTestSupport.awaitConnected;
import static dev.keel.transport.tcp.TcpTestSupport.closedByPeer;
import static dev.keel.transport.tcp.TcpTestSupport.heartbeat;
import static dev.keel.transport.tcp.TcpTestSupport.receive;
import static dev.keel.transport.tcp.TcpTestSupport.sendAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The peer port's TLS settings at work: a reloaded context applies to new connections only, a cipher suite
 * restriction is honoured (and an unknown suite refused up front), and bytes that are not TLS — random garbage,
 * a huge length prefix, a handshake that stalls — are refused while the port keeps serving.
 */
class PeerTlsSettingsTest {
    private static final long DIALER = 1;
    private static final long ACCEPTOR = 2;
    private static final InetSocketAddress NEVER_DIALED = new InetSocketAddress("127.0.0.1", 9);
    private static final String AES_128 = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    private static final String AES_256 = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";

    private static TestPki.Identity firstCa;
    private static TestPki.Identity secondCa;

    @BeforeAll
    static void makeAuthorities() throws Exception {
        firstCa = TestPki.authority("first CA");
        secondCa = TestPki.authority("second CA");
    }

    @Test
    void aReloadedContextIsUsedByNewConnectionsWhileTheOldOneKeepsItsOwn() throws Exception {
        SSLContext before = TestPki.context(TestPki.peer(firstCa, "acceptor-before"), firstCa);
        AtomicReference<SSLContext> current = new AtomicReference<>(before);
        PeerTls reloading = new PeerTls(current::get, true, List.of());
        try (TcpTransport acceptor = tlsTransport(ACCEPTOR, Map.of(DIALER, NEVER_DIALED), new Log(), reloading)) {
            try (TcpTransport trustsFirst = tlsTransport(DIALER, Map.of(ACCEPTOR, acceptor.localAddress()),
                    new Log(), mtls(TestPki.context(TestPki.peer(firstCa, "dialer"), firstCa)))) {
                awaitConnected(trustsFirst, acceptor);
                // The acceptor's certificate now comes from the second CA; it still trusts dialers of the first.
                current.set(TestPki.context(TestPki.peer(secondCa, "acceptor-after"), firstCa));
                sendAccepted(trustsFirst, ACCEPTOR, heartbeat(DIALER, ACCEPTOR, 1));
                assertEquals(1, receive(acceptor, 1).get(0).sequence(), "the open connection kept its context");
            }
            Log refusedLog = new Log();
            try (TcpTransport stillTrustsFirst = tlsTransport(DIALER, Map.of(ACCEPTOR, acceptor.localAddress()),
                    refusedLog, mtls(TestPki.context(TestPki.peer(firstCa, "dialer"), firstCa)))) {
                await(() -> stillTrustsFirst.stats().tlsHandshakesFailed() >= 1, "the new certificate in use");
                assertFalse(stillTrustsFirst.isConnected(ACCEPTOR));
                await(() -> refusedLog.count("PKIX") == 1, "the dialler names the untrusted certificate, once");
            }
            try (TcpTransport trustsSecond = tlsTransport(DIALER, Map.of(ACCEPTOR, acceptor.localAddress()),
                    new Log(), mtls(TestPki.context(TestPki.peer(firstCa, "dialer"), secondCa)))) {
                awaitConnected(trustsSecond, acceptor);
            }
        }
    }

    @Test
    void aCipherSuiteRestrictionIsHonoured() throws Exception {
        SSLContext acceptorContext = TestPki.context(TestPki.peer(firstCa, "acceptor"), firstCa);
        SSLContext dialerContext = TestPki.context(TestPki.peer(firstCa, "dialer"), firstCa);
        Log acceptorLog = new Log();
        try (TcpTransport acceptor = tlsTransport(ACCEPTOR, Map.of(DIALER, NEVER_DIALED), acceptorLog,
                new PeerTls(() -> acceptorContext, true, List.of(AES_128)))) {
            try (TcpTransport other = tlsTransport(DIALER, Map.of(ACCEPTOR, acceptor.localAddress()), new Log(),
                    new PeerTls(() -> dialerContext, true, List.of(AES_256)))) {
                await(() -> acceptor.stats().tlsHandshakesFailed() >= 1, "no suite in common refused");
                assertFalse(other.isConnected(ACCEPTOR));
                assertTrue(acceptorLog.lines.stream().anyMatch(line -> line.contains("refused peer")
                        && line.contains("TLS handshake failed")), acceptorLog.lines.toString());
            }
            try (TcpTransport same = tlsTransport(DIALER, Map.of(ACCEPTOR, acceptor.localAddress()), new Log(),
                    new PeerTls(() -> dialerContext, true, List.of(AES_128)))) {
                awaitConnected(same, acceptor);
            }
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> tlsTransport(DIALER, Map.of(), new Log(),
                        new PeerTls(() -> dialerContext, true, List.of(AES_128, "TLS_NO_SUCH_SUITE_WITH_NOTHING"))));
        assertEquals("cipher suites not supported by this JVM: TLS_NO_SUCH_SUITE_WITH_NOTHING", unknown.getMessage());
    }

    @Test
    void garbageOnATlsPortIsRefusedAndThePortKeepsServing() throws Exception {
        SSLContext acceptorContext = TestPki.context(TestPki.peer(firstCa, "acceptor"), firstCa);
        Log log = new Log();
        try (TcpTransport acceptor = tlsTransport(ACCEPTOR, Map.of(DIALER, NEVER_DIALED), log,
                mtls(acceptorContext))) {
            InetSocketAddress port = acceptor.localAddress();
            byte[] random = new byte[4096];
            new Random(16).nextBytes(random);
            random[0] = 0x42; // not a TLS record type, whatever the seed gives
            assertRefused(port, log, random);
            byte[] hugeLength = ByteBuffer.allocate(64).putInt(Integer.MAX_VALUE).array();
            assertRefused(port, log, hugeLength);
            await(() -> acceptor.stats().tlsHandshakesFailed() == 2, "both refusals counted");
            try (TcpTransport member = tlsTransport(DIALER, Map.of(ACCEPTOR, port), new Log(),
                    mtls(TestPki.context(TestPki.peer(firstCa, "dialer"), firstCa)))) {
                awaitConnected(member, acceptor);
            }
        }
    }

    @Test
    void aStalledTlsHandshakeIsDroppedAtTheHandshakeTimeout() throws Exception {
        SSLContext acceptorContext = TestPki.context(TestPki.peer(firstCa, "acceptor"), firstCa);
        Log log = new Log();
        try (TcpTransport acceptor = tlsTransport(ACCEPTOR, Map.of(DIALER, NEVER_DIALED), log,
                mtls(acceptorContext));
             Socket socket = new Socket("127.0.0.1", acceptor.localAddress().getPort())) {
            // A TLS handshake record header promising 512 bytes, then only a few of them.
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00});
            socket.getOutputStream().flush();
            assertTrue(closedByPeer(socket), "the stalled handshake was dropped");
            String marker = ":" + socket.getLocalPort() + ":";
            await(() -> log.count(marker) == 1, "one log line for " + marker);
            assertTrue(log.lines.stream().anyMatch(line -> line.contains(marker) && line.contains("no handshake")),
                    log.lines.toString());
            await(() -> acceptor.stats().handshakesRejected() == 1, "the stalled handshake counted");
            assertEquals(0, acceptor.stats().tlsHandshakesFailed(), "a timeout, not a TLS failure");
        }
    }

    private static void assertRefused(InetSocketAddress port, Log log, byte[] bytes) throws IOException {
        try (Socket socket = new Socket(port.getAddress(), port.getPort())) {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            assertTrue(closedByPeer(socket), "connection kept open");
            String marker = ":" + socket.getLocalPort() + ":";
            await(() -> log.count(marker) == 1, "one log line for " + marker);
            assertTrue(log.lines.stream().anyMatch(line -> line.contains("refused peer") && line.contains(marker)
                    && line.contains("TLS handshake failed")), log.lines.toString());
        }
    }
}
