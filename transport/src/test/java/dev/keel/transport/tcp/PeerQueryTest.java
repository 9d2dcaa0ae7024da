package dev.keel.transport.tcp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.keel.transport.tcp.TcpTestSupport.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A joining member's question on the peer port: answered by the host's answer, refused otherwise. */
class PeerQueryTest {

    @Test
    void aMemberAnswersWhatItsHostSaysAndKeepsServingPeers() throws IOException {
        TcpTestSupport.Log log = new TcpTestSupport.Log();
        try (TcpTransport t = transport(7, Map.of(), log)) {
            t.answerQueriesWith(() -> "members".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                PeerQuery.Answer a = PeerQuery.ask(t.localAddress(), TcpTestSupport.TOKEN, 5000);
                assertEquals(7, a.memberId());
                assertEquals("members", new String(a.info(), StandardCharsets.UTF_8));
            }
            assertEquals(0, t.stats().handshakesRejected(), "answered queries are not refused handshakes");
        }
    }

    @Test
    void queriesAreRefusedWithoutAnAnswerOrWithTheWrongToken() {
        TcpTestSupport.Log log = new TcpTestSupport.Log();
        try (TcpTransport t = transport(7, Map.of(), log)) {
            assertThrows(IOException.class, () -> PeerQuery.ask(t.localAddress(), TcpTestSupport.TOKEN, 5000));
            t.answerQueriesWith(() -> new byte[]{1});
            assertThrows(IOException.class, () -> PeerQuery.ask(t.localAddress(), "another-cluster", 5000));
            assertTrue(t.stats().handshakesRejected() >= 2);
        }
    }

    @Test
    void overTlsAQueryIsAnsweredWithTheClustersCertificateAndRefusedOtherwise() throws Exception {
        TestPki.Identity ca = TestPki.authority("query CA");
        TestPki.Identity other = TestPki.authority("other CA");
        javax.net.ssl.SSLContext member = TestPki.context(TestPki.peer(ca, "member"), ca);
        javax.net.ssl.SSLContext joiner = TestPki.context(TestPki.peer(ca, "joiner"), ca);
        javax.net.ssl.SSLContext stranger = TestPki.context(TestPki.peer(other, "stranger"), ca);
        TcpTestSupport.Log log = new TcpTestSupport.Log();
        try (TcpTransport t = PeerTlsTransportTest.tlsTransport(7, Map.of(), log,
                PeerTlsTransportTest.mtls(member))) {
            t.answerQueriesWith(() -> "members".getBytes(StandardCharsets.UTF_8));
            PeerQuery.Answer a = PeerQuery.ask(t.localAddress(), TcpTestSupport.TOKEN, 5000,
                    PeerTlsTransportTest.mtls(joiner));
            assertEquals("members", new String(a.info(), StandardCharsets.UTF_8));
            assertThrows(IOException.class, () -> PeerQuery.ask(t.localAddress(), TcpTestSupport.TOKEN, 5000));
            assertThrows(IOException.class, () -> PeerQuery.ask(t.localAddress(), TcpTestSupport.TOKEN, 5000,
                    PeerTlsTransportTest.mtls(stranger)));
        }
    }
}
