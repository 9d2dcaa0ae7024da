package dev.keel.node.tls;

import static dev.keel.node.tls.TlsClusters.certFlags;
import static dev.keel.node.tls.TlsClusters.etcdctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import dev.keel.node.KeelNode;
import dev.keel.transport.tcp.PeerQuery;
import dev.keel.transport.tcp.PeerTls;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-member cluster with TLS and client-cert-auth on both ports, as etcd's {@code --peer-*} flags set it up:
 * the real etcdctl writes and reads through every member, the members' peer connections are TLS (a plaintext
 * peer is refused; a TLS one with a certificate of the cluster's CA is answered), and a replaced peer
 * certificate is presented on the connections made after it.
 */
class PeerTlsClusterTest {
    private static final String TOKEN = "peer-tls";
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
        for (int i = 1; i <= 3; i++) {
            ca.server("peer-m" + i);
        }
        cluster = KeelCluster.builder().members(3).configure(c -> TlsClusters.https(c, TOKEN)
                .withTls(TlsClusters.bothPorts(server, peerPair(c.name()), ca.ca()))).start();
        TlsClusters.awaitLeader(List.of(TlsClusters.endpoints(cluster).split(",")), certFlags(ca.ca(), client));
    }

    /** Each member its own peer files, so one member's can be replaced. */
    private static TestCertificates.Pair peerPair(String member) {
        return new TestCertificates.Pair(dir.resolve("peer-" + member + ".pem"),
                dir.resolve("peer-" + member + "-key.pem"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void etcdctlWritesOnOneMemberAndReadsLinearizablyFromEach() throws Exception {
        String[] endpoints = TlsClusters.endpoints(cluster).split(",");
        TlsClusters.Result put = etcdctl(endpoints[0], certFlags(ca.ca(), client), "put", "peer-tls", "on");
        assertEquals(0, put.exit(), put.output());
        for (String e : endpoints) {
            TlsClusters.Result get = etcdctl(e, certFlags(ca.ca(), client), "get", "peer-tls",
                    "--print-value-only", "--consistency=l");
            assertEquals(0, get.exit(), get.output());
            assertEquals("on", get.output().trim());
        }
        for (int i = 0; i < 3; i++) {
            // The peer port takes nothing but TLS (see the plaintext test), so these connections are TLS.
            assertTrue(cluster.member(i).peerStats().connectionsOpened() >= 1, "peers connected");
        }
    }

    @Test
    void thePeerPortRefusesPlaintextAndAnswersTlsWithTheClustersCa() throws Exception {
        KeelNode member = cluster.member(0);
        InetSocketAddress peerPort = member.peerAddress();
        long refusedBefore = member.peerStats().tlsHandshakesFailed();
        assertThrows(IOException.class, () -> PeerQuery.ask(peerPort, TOKEN, 2_000));
        Awaits.until("the plaintext dial counted as a failed TLS handshake", 10_000,
                () -> member.peerStats().tlsHandshakesFailed() > refusedBefore);
        SSLContext peer = TlsClusters.context(ca.server("probe"), ca.ca());
        PeerQuery.Answer answer = PeerQuery.ask(peerPort, TOKEN, 5_000, new PeerTls(() -> peer, false, List.of()));
        assertEquals(member.memberId(), answer.memberId());
        // --peer-client-cert-auth: a TLS peer without a certificate is refused too.
        SSLContext anonymous = SSLContext.getInstance("TLS");
        anonymous.init(null, trustOnly(ca.ca()), null);
        assertThrows(IOException.class,
                () -> PeerQuery.ask(peerPort, TOKEN, 2_000, new PeerTls(() -> anonymous, false, List.of())));
    }

    @Test
    void aReplacedPeerCertificateIsUsedForNewPeerConnections() throws Exception {
        KeelNode first = cluster.member(0);
        BigInteger old = first.peerCertificate().orElseThrow().getSerialNumber();
        TestCertificates.Pair fresh = ca.server("peer-m1-next");
        // As cert-manager does: each file replaced whole, by a rename.
        Files.move(fresh.key(), peerPair("m1").key(), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Files.move(fresh.cert(), peerPair("m1").cert(), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Awaits.until("m1 reloaded its peer certificate", 20_000,
                () -> !first.peerCertificate().orElseThrow().getSerialNumber().equals(old));
        BigInteger reloaded = first.peerCertificate().orElseThrow().getSerialNumber();
        SSLContext probe = TlsClusters.context(ca.server("probe-2"), ca.ca());
        assertEquals(reloaded, TlsClusters.presentedSerial(first.peerAddress(), probe),
                "a new connection to m1's peer port gets the new certificate");
        // A peer link made after the reload: m2 restarts, reconnects to m1 and the cluster serves through it.
        long openedBefore = first.peerStats().connectionsOpened();
        cluster.stopMember(1);
        cluster.startMember(1);
        Awaits.until("m2 reconnected to m1 over TLS", 30_000,
                () -> first.peerStats().connectionsOpened() > openedBefore);
        String secondEndpoint = "https://" + cluster.member(1).clientEndpoints().get(0);
        // The restarted member learns the leader from its next heartbeat; until then it answers "no leader".
        Awaits.until("a put through the restarted m2 succeeds", 30_000,
                () -> etcdctlQuietly(secondEndpoint, "put", "after-reload", "ok").exit() == 0);
        TlsClusters.Result get = etcdctl("https://" + first.clientEndpoints().get(0), certFlags(ca.ca(), client),
                "get", "after-reload", "--print-value-only", "--consistency=l");
        assertEquals("ok", get.output().trim(), get.output());
        assertNotEquals(old, reloaded);
    }

    private static TlsClusters.Result etcdctlQuietly(String endpoint, String... args) {
        try {
            return etcdctl(endpoint, certFlags(ca.ca(), client), args);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("etcdctl did not run", e);
        }
    }

    /** @return trust managers for {@code caFile} alone, presenting no certificate */
    private static javax.net.ssl.TrustManager[] trustOnly(Path caFile) {
        ReloadingTls trust = new ReloadingTls(new TlsFiles(client.cert(), client.key(), java.util.Optional.of(caFile),
                false), line -> { });
        return new javax.net.ssl.TrustManager[] {trust.trustManager()};
    }
}
