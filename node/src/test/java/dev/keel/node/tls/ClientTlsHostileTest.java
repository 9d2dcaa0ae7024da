package dev.keel.node.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.node.KeelCluster;
import dev.keel.node.Sockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input on a TLS client port (https, {@code --client-cert-auth}): plaintext HTTP/2, random bytes and a
 * ClientHello that stops half-way each end their own connection, and the member keeps serving etcdctl with a
 * certificate after each.
 */
class ClientTlsHostileTest {
    /** Longer than Netty's TLS handshake timeout (10 s) and Armeria's idle timeout, with room for a slow machine. */
    private static final long CLOSE_DEADLINE_MILLIS = 40_000;
    private static final byte[] H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static TestCertificates.Pair client;
    private static KeelCluster cluster;

    @BeforeAll
    static void start() {
        ca = TestCertificates.createCa(dir, "ca");
        TestCertificates.Pair server = ca.server("server");
        client = ca.client("client", "root");
        cluster = KeelCluster.builder().members(1).configure(c -> TlsClusters.https(c, "client-tls-hostile")
                .withTls(TlsClusters.bothPorts(server, ca.server("peer"), ca.ca()))).start();
        TlsClusters.awaitLeader(List.of(TlsClusters.endpoints(cluster)), TlsClusters.certFlags(ca.ca(), client));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void memberStillServesAGoodClient() throws Exception {
        TlsClusters.Result put = TlsClusters.etcdctl(TlsClusters.endpoints(cluster),
                TlsClusters.certFlags(ca.ca(), client), "put", "after-hostile", "ok");
        assertEquals(0, put.exit(), put.output());
        assertNull(cluster.member(0).failure());
    }

    @Test
    void plaintextHttp2IsRefused() throws IOException {
        assertClosedAfter(H2_PREFACE, new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
    }

    @Test
    void randomBytesAreRefused() throws IOException {
        byte[] junk = new byte[4096];
        new Random(16).nextBytes(junk);
        assertClosedAfter(junk);
    }

    @Test
    void aClientHelloThatStopsHalfWayIsDropped() throws IOException {
        // A TLS record header announcing a 512-byte handshake message, then only its first bytes, then silence.
        byte[] start = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
        assertClosedAfter(start);
    }

    /** Writes the parts to the member's https port and expects the member to end the connection. */
    private static void assertClosedAfter(byte[]... parts) throws IOException {
        String[] hostPort = cluster.member(0).clientEndpoints().get(0).split(":");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 5_000);
            s.setSoTimeout(500);
            try {
                for (byte[] part : parts) {
                    s.getOutputStream().write(part);
                }
                s.getOutputStream().flush();
            } catch (IOException resetWhileWriting) {
                return;
            }
            assertTrue(Sockets.closedByPeer(s.getInputStream(), CLOSE_DEADLINE_MILLIS),
                    "the member kept the connection for "
                    + CLOSE_DEADLINE_MILLIS + " ms");
        }
    }

}
