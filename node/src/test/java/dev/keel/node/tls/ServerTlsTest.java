package dev.keel.node.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client port's TLS as Armeria serves it: handshake refusals, the caller's CN, reload and cipher suites. */
class ServerTlsTest {
    private static final Consumer<String> QUIET = line -> { };
    @TempDir
    Path dir;
    private Server server;
    private TlsReloader reloader;

    @AfterEach
    void stop() {
        if (reloader != null) {
            reloader.close();
        }
        if (server != null) {
            server.stop().join();
        }
    }

    @Test
    void clientCertAuthRefusesMissingAndUntrustedCertificatesAndServesTheCommonName() throws Exception {
        TestCertificates certs = TestCertificates.createCa(dir, "ca");
        TestCertificates.Pair member = certs.server("member");
        TestCertificates.Pair alice = certs.client("alice", "alice");
        TestCertificates.Pair mallory = TestCertificates.createCa(dir, "other").client("mallory", "root");
        int port = start(new ReloadingTls(new TlsFiles(member.cert(), member.key(), Optional.of(certs.ca()), true),
                QUIET), List.of());
        assertEquals("cn=alice", get(port, client(alice, certs.ca()), null));
        assertThrows(IOException.class, () -> get(port, client(mallory, certs.ca()), null));
        assertThrows(IOException.class, () -> get(port, trustOnly(certs.ca()), null));
        // The refusals left the port serving.
        assertEquals("cn=alice", get(port, client(alice, certs.ca()), null));
    }

    @Test
    void replacedCertificateIsServedWithoutRestart() throws Exception {
        TestCertificates certs = TestCertificates.createCa(dir, "ca");
        TestCertificates.Pair first = certs.server("first");
        TestCertificates.Pair second = certs.server("second");
        Path cert = Files.copy(first.cert(), dir.resolve("live.pem"));
        Path key = Files.copy(first.key(), dir.resolve("live-key.pem"));
        ReloadingTls tls = new ReloadingTls(new TlsFiles(cert, key, Optional.empty(), false), QUIET);
        int port = start(tls, List.of());
        reloader = new TlsReloader(List.of(tls), 100);
        SSLContext trusting = trustOnly(certs.ca());
        BigInteger before = servedSerial(port, trusting);
        assertEquals(PemFiles.certificates(first.cert()).get(0).getSerialNumber(), before);
        Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(second.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(cert, FileTime.fromMillis(Files.getLastModifiedTime(cert).toMillis() + 2000));
        BigInteger expected = PemFiles.certificates(second.cert()).get(0).getSerialNumber();
        long deadline = System.nanoTime() + 20_000_000_000L;
        BigInteger served = before;
        while (!served.equals(expected) && System.nanoTime() < deadline) {
            served = servedSerial(port, trusting);
        }
        assertEquals(expected, served);
    }

    @Test
    void cipherSuitesFlagRestrictsTheNegotiatedSuite() throws Exception {
        TestCertificates certs = TestCertificates.createCa(dir, "ca");
        TestCertificates.Pair member = certs.server("member");
        String only = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
        int port = start(new ReloadingTls(new TlsFiles(member.cert(), member.key(), Optional.empty(), false), QUIET),
                List.of(only));
        SSLContext trusting = trustOnly(certs.ca());
        try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            assertEquals(only, socket.getSession().getCipherSuite());
        }
        assertThrows(IOException.class, () -> get(port, trusting, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.checkedCipherSuites(List.of("TLS_RSA_WITH_NOTHING")));
        assertTrue(unknown.getMessage().startsWith("unexpected TLS cipher suite \"TLS_RSA_WITH_NOTHING\""),
                unknown.getMessage());
    }

    private int start(ReloadingTls tls, List<String> cipherSuites) {
        ServerBuilder builder = Server.builder().https(0);
        ServerTls.apply(builder, tls, cipherSuites);
        server = builder.service("/whoami", (ctx, req) -> HttpResponse.of("cn=" + ClientCertificates
                .commonName(ServiceRequestContext.current().sslSession()).orElse(""))).build();
        server.start().join();
        return server.activePort().localAddress().getPort();
    }

    private SSLContext client(TestCertificates.Pair pair, Path ca) {
        return new ReloadingTls(new TlsFiles(pair.cert(), pair.key(), Optional.of(ca), false), QUIET).sslContext();
    }

    /** A client context with no certificate of its own: it only trusts the CA. */
    private SSLContext trustOnly(Path ca) throws Exception {
        ReloadingTls anyPair = new ReloadingTls(new TlsFiles(dir.resolve("ca.pem"), dir.resolve("ca-key.pem"),
                Optional.of(ca), false), QUIET);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {anyPair.trustManager()}, null);
        return context;
    }

    private static BigInteger servedSerial(int port, SSLContext context) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /** An HTTP/1.1 GET of /whoami over TLS; a refused handshake surfaces as an IOException. */
    private static String get(int port, SSLContext context, String onlySuite) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            if (onlySuite != null) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.setEnabledCipherSuites(new String[] {onlySuite});
            }
            socket.getOutputStream().write(("GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (response.isEmpty()) {
                throw new IOException("connection closed without a response");
            }
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }
}
