package dev.keel.node.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code --auto-tls} certificate: what is in it, where it is written, reuse, and resolution against files. */
class AutoTlsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.789Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    private TlsFiles generate(Path at, List<String> hosts, int years) {
        return AutoTls.selfCert(AutoTls.Port.CLIENT, at, hosts, years, CLOCK, log::add);
    }

    @Test
    void theCertificateIsEtcdsSelfSignedOneForTheListenHosts() throws Exception {
        List<String> hosts = AutoTls.hosts(List.of("https://127.0.0.1:2379", "https://localhost:2379",
                "https://[::1]:2379", "https://node-1.example:2381", "https://127.0.0.1:2479"));
        assertEquals(List.of("127.0.0.1", "localhost", "[::1]", "node-1.example"), hosts);
        TlsFiles files = generate(dir.resolve("fixtures/client"), hosts, 3);
        assertEquals(dir.resolve("fixtures/client/cert.pem"), files.certFile());
        assertEquals(dir.resolve("fixtures/client/key.pem"), files.keyFile());
        assertEquals(Optional.empty(), files.trustedCaFile());
        assertFalse(files.clientCertAuth());

        X509Certificate cert = PemFiles.certificates(files.certFile()).get(0);
        cert.verify(cert.getPublicKey()); // self-signed: its own key verifies the signature
        assertEquals("O=etcd", cert.getSubjectX500Principal().getName());
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        assertEquals(256, ((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        assertEquals(3, cert.getVersion());
        assertTrue(cert.getSerialNumber().signum() > 0 && cert.getSerialNumber().bitLength() <= 128);
        assertEquals(NOW.getEpochSecond(), cert.getNotBefore().toInstant().getEpochSecond());
        assertEquals(NOW.plus(Duration.ofDays(3 * 365)).getEpochSecond(),
                cert.getNotAfter().toInstant().getEpochSecond());
        assertArrayEquals(new boolean[] {true, false, true, false, false, false, false, false, false},
                cert.getKeyUsage());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), cert.getExtendedKeyUsage());
        assertEquals(-1, cert.getBasicConstraints()); // CA:FALSE
        assertTrue(cert.getCriticalExtensionOIDs().containsAll(List.of("2.5.29.15", "2.5.29.19")));
        assertEquals(List.of(List.of(7, "127.0.0.1"), List.of(2, "localhost"), List.of(7, "0:0:0:0:0:0:0:1"),
                List.of(2, "node-1.example")), names(cert.getSubjectAlternativeNames()));
        assertTrue(KeyPairs.matches(PemFiles.privateKey(files.keyFile()), cert));
        assertTrue(log.get(0).contains("wrote a self-signed certificate"), log.toString());
    }

    /** A second reader of the DER: openssl, which etcd's users will point at these files. */
    @Test
    void opensslReadsTheCertificateAsEtcdsLooks() throws Exception {
        TlsFiles files = generate(dir.resolve("c"), List.of("localhost", "127.0.0.1"), 1);
        Process p = new ProcessBuilder("openssl", "x509", "-noout", "-text", "-in", files.certFile().toString())
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("Issuer: O = etcd"), text);
        assertTrue(text.contains("Subject: O = etcd"), text);
        assertTrue(text.contains("ecdsa-with-SHA256"), text);
        assertTrue(text.contains("NIST CURVE: P-256"), text);
        assertTrue(text.contains("DNS:localhost, IP Address:127.0.0.1"), text);
        assertTrue(text.contains("Digital Signature, Key Encipherment"), text);
        assertTrue(text.contains("TLS Web Server Authentication"), text);
        assertTrue(text.contains("CA:FALSE"), text);
    }

    @Test
    void aSecondStartReusesTheFilesAsTheyAre() throws Exception {
        Path at = dir.resolve("fixtures/client");
        TlsFiles first = generate(at, List.of("127.0.0.1"), 1);
        byte[] cert = Files.readAllBytes(first.certFile());
        byte[] key = Files.readAllBytes(first.keyFile());
        log.clear();
        // Different hosts and validity: etcd reuses the files without comparing, and so does Keel.
        TlsFiles second = generate(at, List.of("10.0.0.9"), 5);
        assertEquals(first, second);
        assertArrayEquals(cert, Files.readAllBytes(second.certFile()));
        assertArrayEquals(key, Files.readAllBytes(second.keyFile()));
        assertEquals(List.of(), log);
        // Only one of the two left (an interrupted first start): both are written anew.
        Files.delete(first.keyFile());
        generate(at, List.of("127.0.0.1"), 1);
        assertFalse(java.util.Arrays.equals(cert, Files.readAllBytes(first.certFile())));
    }

    @Test
    void anExpiredCertificateIsReusedWithAWarning() {
        Path at = dir.resolve("old");
        generate(at, List.of("127.0.0.1"), 1);
        log.clear();
        Clock later = Clock.fixed(NOW.plus(Duration.ofDays(400)), ZoneOffset.UTC);
        AutoTls.selfCert(AutoTls.Port.PEER, at, List.of("127.0.0.1"), 1, later, log::add);
        assertEquals(1, log.size());
        assertTrue(log.get(0).startsWith("--peer-auto-tls: the self-signed certificate " + at.resolve("cert.pem")
                + " expired on "), log.get(0));
        assertTrue(log.get(0).endsWith("remove " + at + " to have a new one written"), log.get(0));
    }

    @Test
    void filesAreOwnerOnlyAsEtcdWritesThem() throws Exception {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return; // no POSIX modes on this file system
        }
        TlsFiles files = generate(dir.resolve("fixtures/peer"), List.of("127.0.0.1"), 1);
        assertEquals("rwx------", mode(dir.resolve("fixtures/peer")));
        assertEquals("rwx------", mode(dir.resolve("fixtures")));
        assertEquals("rw-------", mode(files.keyFile()));
        assertEquals("rw-r--r--", mode(files.certFile()));
        try (var left = Files.list(dir.resolve("fixtures/peer"))) {
            assertEquals(2, left.count()); // no temporary files left behind
        }
    }

    @Test
    void anUnwritableDirectoryNamesThePathAndTheFix() throws Exception {
        Path blocker = Files.writeString(dir.resolve("data"), "a file where the data dir should be");
        Path at = AutoTls.directory(blocker, AutoTls.Port.CLIENT);
        TlsFileException e = assertThrows(TlsFileException.class, () -> generate(at, List.of("127.0.0.1"), 1));
        assertTrue(e.getMessage().startsWith("--auto-tls: cannot write the self-signed certificate in " + at),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("; make " + at + " writable by the user running Keel, or give"
                + " --cert-file and --key-file"), e.getMessage());
    }

    @Test
    void anUnreadableReusedCertificateSaysToRemoveTheDirectory() throws Exception {
        Path at = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(at.resolve("cert.pem"), "not a certificate");
        Files.writeString(at.resolve("key.pem"), "not a key");
        TlsFileException e = assertThrows(TlsFileException.class, () -> generate(at, List.of("127.0.0.1"), 1));
        assertTrue(e.getMessage().contains(at.resolve("cert.pem").toString()), e.getMessage());
        assertTrue(e.getMessage().endsWith("remove " + at + " and Keel writes a new self-signed certificate for"
                + " --auto-tls"), e.getMessage());
    }

    @Test
    void givenFilesWinOverAutoTlsWithEtcdsWarning() {
        TlsFiles given = new TlsFiles(Path.of("s.pem"), Path.of("k.pem"), Optional.empty(), false);
        List<String> urls = List.of("https://127.0.0.1:2379");
        PortTls both = AutoTls.resolve(AutoTls.Port.CLIENT, Optional.of(given), true, dir, urls, 1, log::add);
        assertEquals(new PortTls(Optional.of(given), false), both);
        assertEquals(List.of("ignoring client auto TLS since certs given"), log);
        assertFalse(Files.exists(dir.resolve("fixtures")));
        log.clear();
        PortTls peer = AutoTls.resolve(AutoTls.Port.PEER, Optional.of(given), true, dir, urls, 1, log::add);
        assertFalse(peer.selfSigned());
        assertEquals(List.of("ignoring peer auto TLS since certs given"), log);
        assertEquals(new PortTls(Optional.empty(), false),
                AutoTls.resolve(AutoTls.Port.CLIENT, Optional.empty(), false, dir, urls, 1, log::add));
    }

    @Test
    void peerAutoTlsWritesFixturesPeerAndSkipsVerification() {
        PortTls peer = AutoTls.resolve(AutoTls.Port.PEER, Optional.empty(), true, dir,
                List.of("https://127.0.0.1:2380"), 1, log::add);
        assertTrue(peer.selfSigned());
        assertFalse(peer.clientCertAuth());
        assertEquals(dir.resolve("fixtures/peer/cert.pem"), peer.files().orElseThrow().certFile());
        ReloadingTls material = peer.load(log::add).orElseThrow();
        assertTrue(material.selfSigned());
        assertTrue(material.dialTrustManager() instanceof AnyChainTrust);
        // Files from the flags keep verifying when dialing.
        ReloadingTls given = new ReloadingTls(peer.files().orElseThrow(), log::add);
        assertFalse(given.dialTrustManager() instanceof AnyChainTrust);
    }

    @Test
    void anyChainTrustStillRequiresAChain() throws Exception {
        AnyChainTrust trust = new AnyChainTrust();
        X509Certificate cert = PemFiles.certificates(generate(dir.resolve("t"), List.of("x"), 1).certFile()).get(0);
        trust.checkServerTrusted(new X509Certificate[] {cert}, "ECDHE_ECDSA");
        trust.checkClientTrusted(new X509Certificate[] {cert}, "ECDHE_ECDSA");
        assertThrows(CertificateException.class, () -> trust.checkServerTrusted(new X509Certificate[0], "RSA"));
        assertThrows(CertificateException.class, () -> trust.checkClientTrusted(null, "RSA"));
        assertEquals(0, trust.getAcceptedIssuers().length);
    }

    /**
     * A handshake against the generated certificate: a peer dialing with the self-signed port's context gets
     * through (as etcd's InsecureSkipVerify does), one with the JDK's CAs is refused.
     */
    @Test
    void aSelfSignedPeerIsReachableOnlyWithoutVerification() throws Exception {
        PortTls peer = AutoTls.resolve(AutoTls.Port.PEER, Optional.empty(), true, dir,
                List.of("https://127.0.0.1:0"), 1, log::add);
        ReloadingTls material = peer.load(log::add).orElseThrow();
        SSLContext server = material.sslContext();
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> serveTwo(listener));
            assertEquals("pong", ping(material.sslContext(), listener.getLocalPort()));
            SSLContext verifying = SSLContext.getInstance("TLS");
            verifying.init(null, null, null);
            assertThrows(SSLHandshakeException.class, () -> ping(verifying, listener.getLocalPort()));
            serving.get(30, TimeUnit.SECONDS);
        }
    }

    private static void serveTwo(SSLServerSocket listener) {
        for (int i = 0; i < 2; i++) {
            try (SSLSocket s = (SSLSocket) listener.accept()) {
                s.startHandshake();
                InputStream in = s.getInputStream();
                if (in.read() == 'p') {
                    s.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                }
            } catch (IOException refusedByTheClient) {
                // The verifying client aborts the handshake: expected for the second connection.
            }
        }
    }

    private static String ping(SSLContext context, int port) throws IOException {
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                port)) {
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write('p');
            out.flush();
            return new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII);
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static List<List<Object>> names(Collection<List<?>> names) {
        assertNull(names == null ? "no subject alternative names" : null);
        List<List<Object>> out = new ArrayList<>();
        for (List<?> name : names) {
            out.add(List.of(name.get(0), name.get(1)));
        }
        return out;
    }
}
