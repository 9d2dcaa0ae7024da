package dev.keel.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.node.config.NodeConfig;
import dev.keel.node.config.PortTlsFlags;
import dev.keel.node.config.TlsConfig;
import dev.keel.node.tls.AnyChainTrust;
import dev.keel.node.tls.PemFiles;
import dev.keel.node.tls.PortTls;
import dev.keel.node.tls.ReloadingTls;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KeelNode#peerPortTls}: what the peer transport gets for {@code --peer-auto-tls} (a cluster running on it
 * is {@code AutoTlsClusterTest}).
 */
class PeerPortTlsTest {
    @TempDir
    Path dir;

    private NodeConfig member(PortTlsFlags peer) {
        NodeConfig d = NodeConfig.defaults("m1");
        List<String> peerUrls = List.of("https://127.0.0.1:2380", "https://m1.cluster.test:2380");
        return new NodeConfig(d.name(), dir.resolve("m1.keel"), d.listenClientUrls(), d.advertiseClientUrls(),
                peerUrls, peerUrls, d.initialCluster(), true, d.clusterToken(), d.heartbeatMillis(),
                d.electionMillis(), d.snapshotCount(), d.autoCompactionMode(), d.autoCompactionRetention(),
                d.quotaBackendBytes(), d.maxRequestBytes(), d.maxTxnOps())
                .withTls(new TlsConfig(PortTlsFlags.NONE, peer, List.of(), 1));
    }

    @Test
    void peerAutoTlsGivesTheFixturesPeerCertificateAndSkipsVerification() throws Exception {
        List<String> log = new ArrayList<>();
        PortTlsFlags auto = new PortTlsFlags(Optional.empty(), Optional.empty(), Optional.empty(), true, true);
        PortTls peer = KeelNode.peerPortTls(member(auto), log::add);
        assertTrue(peer.selfSigned());
        assertFalse(peer.clientCertAuth()); // --peer-client-cert-auth is dropped with --peer-auto-tls, as in etcd
        Path cert = dir.resolve("m1.keel/fixtures/peer/cert.pem");
        assertEquals(cert, peer.files().orElseThrow().certFile());
        X509Certificate written = PemFiles.certificates(cert).get(0);
        assertEquals(List.of(List.of(7, "127.0.0.1"), List.of(2, "m1.cluster.test")),
                written.getSubjectAlternativeNames().stream().map(n -> List.of(n.get(0), n.get(1))).toList());
        ReloadingTls material = peer.load(log::add).orElseThrow();
        assertTrue(material.dialTrustManager() instanceof AnyChainTrust);
        assertEquals("TLS", material.sslContext().getProtocol());
    }

    @Test
    void peerFilesWinOverPeerAutoTls() {
        List<String> log = new ArrayList<>();
        PortTlsFlags both = new PortTlsFlags(Optional.of(Path.of("p.pem")), Optional.of(Path.of("p-key.pem")),
                Optional.empty(), false, true);
        PortTls peer = KeelNode.peerPortTls(member(both), log::add);
        assertFalse(peer.selfSigned());
        assertEquals(Path.of("p.pem"), peer.files().orElseThrow().certFile());
        assertEquals(List.of("ignoring peer auto TLS since certs given"), log);
    }
}
