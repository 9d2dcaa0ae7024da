package dev.keel.node.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import dev.keel.node.config.NodeConfig;
import dev.keel.node.config.PortTlsFlags;
import dev.keel.node.config.TlsConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-member cluster with {@code --auto-tls} and {@code --peer-auto-tls} only (https on both ports, every member
 * its own self-signed certificates, peers accepting each other's chains as etcd's do): the real etcdctl with
 * {@code --insecure-skip-tls-verify} reads and writes through every member (also what followers forward to the
 * leader and what the lock service sends to its own member, each member dialing another's self-signed
 * certificate), etcdctl verifying certificates is refused, and a restarted member serves the same certificate.
 */
class AutoTlsClusterTest {
    @TempDir
    static Path dir;
    private static KeelCluster cluster;

    @BeforeAll
    static void start() {
        PortTlsFlags auto = new PortTlsFlags(Optional.empty(), Optional.empty(), Optional.empty(), false, true);
        TlsConfig tls = new TlsConfig(auto, auto, List.of(), 2);
        cluster = KeelCluster.builder().members(3).dataRoot(dir.resolve("members"))
                .configure(c -> TlsClusters.https(c, "auto-tls-cluster").withTls(tls)).start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void etcdctlSkippingVerificationWritesAndReadsThroughEveryMember() throws Exception {
        Result put = etcdctl(endpoints(), true, "put", "auto-key", "auto-value");
        assertEquals(0, put.exit(), put.output());
        for (String e : endpoints().split(",")) {
            Result get = etcdctl(e, true, "get", "auto-key", "--print-value-only", "--consistency=l");
            assertEquals(0, get.exit(), get.output());
            assertEquals("auto-value", get.output().trim());
        }
        Result grant = etcdctl(endpoints(), true, "lease", "grant", "30");
        assertEquals(0, grant.exit(), grant.output());
        String id = grant.output().split(" ")[1];
        for (String e : endpoints().split(",")) {
            Result keepAlive = etcdctl(e, true, "lease", "keep-alive", "--once", id);
            assertEquals(0, keepAlive.exit(), keepAlive.output());
        }
        Result lock = etcdctl(endpoints().split(",")[1], true, "lock", "auto-lock", "echo", "held");
        assertEquals(0, lock.exit(), lock.output());
        assertTrue(lock.output().contains("held"), lock.output());
        // Nothing vouches for a self-signed certificate: a verifying client is refused, as against etcd.
        Result verifying = etcdctl(endpoints().split(",")[0], false, "get", "auto-key");
        assertNotEquals(0, verifying.exit(), verifying.output());
        for (int i = 0; i < 3; i++) {
            // The peer port speaks only TLS (https peer URLs), with the member's own generated certificate.
            assertTrue(cluster.member(i).peerStats().connectionsOpened() >= 1, "peers connected over TLS");
            X509Certificate peerCert = cluster.member(i).peerCertificate().orElseThrow();
            Path written = cluster.config(i).dataDir().resolve("fixtures/peer/cert.pem");
            assertEquals(fingerprint(PemFiles.certificates(written).get(0)), fingerprint(peerCert));
        }
    }

    @Test
    void aRestartedMemberServesTheSameCertificate() throws Exception {
        Path certFile = cluster.config(0).dataDir().resolve("fixtures/client/cert.pem");
        Path keyFile = cluster.config(0).dataDir().resolve("fixtures/client/key.pem");
        byte[] written = Files.readAllBytes(certFile);
        String before = fingerprint(served(cluster.config(0)));
        assertEquals(fingerprint(PemFiles.certificates(certFile).get(0)), before);
        X509Certificate other = served(cluster.config(1));
        assertNotEquals(before, fingerprint(other)); // each member has its own
        byte[] key = Files.readAllBytes(keyFile);
        cluster.stopMember(0);
        cluster.startMember(0);
        Awaits.until("member 0 serving https again", 30_000, () -> {
            try {
                return etcdctl(endpoints().split(",")[0], true, "endpoint", "health").exit() == 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        assertEquals(before, fingerprint(served(cluster.config(0))));
        assertArrayEquals(written, Files.readAllBytes(certFile));
        assertArrayEquals(key, Files.readAllBytes(keyFile));
    }

    /** @return the certificate the member presents, read with a client that verifies nothing */
    private static X509Certificate served(NodeConfig member) throws Exception {
        java.net.URI url = java.net.URI.create(member.listenClientUrls().get(0));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {new AnyChainTrust()}, null);
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5_000);
            s.setSoTimeout(5_000);
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private static String fingerprint(X509Certificate cert) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    }

    private static String endpoints() {
        return TlsClusters.endpoints(cluster);
    }

    private record Result(int exit, String output) {
    }

    /**
     * etcdctl 3.4 dials in the clear unless told otherwise when no certificate flag is given, even for https
     * endpoints: {@code --insecure-transport=false} makes it speak TLS (the same against etcd's --auto-tls).
     */
    private static Result etcdctl(String endpoints, boolean skipVerify, String... args)
            throws IOException, InterruptedException {
        List<String> flags = skipVerify ? List.of("--insecure-transport=false", "--insecure-skip-tls-verify")
                : List.of("--insecure-transport=false");
        TlsClusters.Result r = TlsClusters.etcdctl(endpoints, flags, args);
        return new Result(r.exit(), r.output());
    }
}
