package dev.keel.node.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {
    @TempDir
    Path dir;

    @Test
    void readsPkcs8Pkcs1AndSec1KeysAsOpensslWritesThem() {
        TestCertificates certs = TestCertificates.createCa(dir, "ca");
        TestCertificates.Pair server = certs.server("server");
        // openssl 3 writes PKCS#8; the two traditional forms are what older tooling (and etcd's docs) produce.
        certs.openssl("rsa", "-in", server.key().toString(), "-traditional", "-out", "rsa1.pem");
        certs.openssl("ec", "-in", "ca-key.pem", "-out", "sec1.pem");
        assertEquals("RSA", PemFiles.privateKey(server.key()).getAlgorithm());
        assertTrue(KeyPairs.matches(PemFiles.privateKey(dir.resolve("rsa1.pem")),
                PemFiles.certificates(server.cert()).get(0)));
        assertTrue(KeyPairs.matches(PemFiles.privateKey(dir.resolve("sec1.pem")),
                PemFiles.certificates(certs.ca()).get(0)));
        assertFalse(KeyPairs.matches(PemFiles.privateKey(dir.resolve("sec1.pem")),
                PemFiles.certificates(server.cert()).get(0)));
    }

    @Test
    void unusableFilesNameTheFileAndTheFix() throws IOException {
        TestCertificates certs = TestCertificates.createCa(dir, "ca");
        TestCertificates.Pair server = certs.server("server");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not pem\n");
        TlsFileException noKey = assertThrows(TlsFileException.class, () -> PemFiles.privateKey(empty));
        assertTrue(noKey.getMessage().contains("empty.pem: no PEM private key found"), noKey.getMessage());
        assertThrows(TlsFileException.class, () -> PemFiles.certificates(empty));
        assertThrows(TlsFileException.class, () -> PemFiles.certificates(dir.resolve("absent.pem")));
        certs.openssl("pkcs8", "-topk8", "-in", server.key().toString(), "-passout", "pass:x", "-out", "enc.pem");
        TlsFileException encrypted = assertThrows(TlsFileException.class,
                () -> PemFiles.privateKey(dir.resolve("enc.pem")));
        assertTrue(encrypted.getMessage().contains("openssl pkey"), encrypted.getMessage());
        TlsFileException mismatch = assertThrows(TlsFileException.class, () -> new ReloadingTls(
                new TlsFiles(server.cert(), dir.resolve("ca-key.pem"), Optional.empty(), false), line -> { }));
        assertTrue(mismatch.getMessage().contains("is not the private key of the certificate"), mismatch.getMessage());
    }

    @Test
    void handshakeRequiresATrustedClientCertificateAndExposesItsCommonName() throws Exception {
        TestCertificates certs = TestCertificates.createCa(dir, "ca");
        TestCertificates.Pair server = certs.server("server");
        TestCertificates.Pair alice = certs.client("alice", "alice");
        TestCertificates other = TestCertificates.createCa(dir, "other");
        TestCertificates.Pair mallory = other.client("mallory", "root");
        ReloadingTls serverTls = new ReloadingTls(new TlsFiles(server.cert(), server.key(), Optional.of(certs.ca()),
                true), line -> { });
        SSLContext good = new ReloadingTls(new TlsFiles(alice.cert(), alice.key(), Optional.of(certs.ca()), false),
                line -> { }).sslContext();
        SSLContext untrusted = new ReloadingTls(new TlsFiles(mallory.cert(), mallory.key(), Optional.of(certs.ca()),
                false), line -> { }).sslContext();
        assertEquals(Optional.of("alice"), handshake(serverTls, good));
        assertEquals(Optional.empty(), handshake(serverTls, untrusted));
        assertEquals(Optional.empty(), ClientCertificates.commonName((javax.net.ssl.SSLSession) null));
    }

    @Test
    void replacedCertificateIsServedAfterReloadAndABrokenOneIsIgnored() throws Exception {
        TestCertificates certs = TestCertificates.createCa(dir, "ca");
        TestCertificates.Pair first = certs.server("first");
        TestCertificates.Pair second = certs.server("second");
        Path cert = Files.copy(first.cert(), dir.resolve("live.pem"));
        Path key = Files.copy(first.key(), dir.resolve("live-key.pem"));
        List<String> log = new ArrayList<>();
        ReloadingTls tls = new ReloadingTls(new TlsFiles(cert, key, Optional.empty(), false), log::add);
        BigInteger before = tls.leaf().getSerialNumber();
        assertFalse(tls.reloadIfChanged());

        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\ntruncated");
        touch(cert, 1);
        assertFalse(tls.reloadIfChanged());
        assertEquals(before, tls.leaf().getSerialNumber());
        assertTrue(log.get(log.size() - 1).contains("keeping the current certificate"), log.toString());

        Files.copy(second.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
        touch(cert, 2);
        assertTrue(tls.reloadIfChanged());
        assertNotEquals(before, tls.leaf().getSerialNumber());
        assertEquals(PemFiles.certificates(second.cert()).get(0).getSerialNumber(), tls.leaf().getSerialNumber());
    }

    /** Moves the file's mtime forward so a same-second rewrite is still seen as a change. */
    private static void touch(Path file, int seconds) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + seconds * 1000L));
    }

    /** @return the CN the server saw, or empty when the handshake was refused */
    private static Optional<String> handshake(ReloadingTls serverTls, SSLContext client) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) serverTls.sslContext().getServerSocketFactory()
                .createServerSocket(0)) {
            listener.setNeedClientAuth(true);
            CompletableFuture<Optional<String>> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.startHandshake();
                    Optional<String> cn = ClientCertificates.commonName(accepted.getSession());
                    accepted.getOutputStream().write(1);
                    accepted.getOutputStream().flush();
                    return cn;
                } catch (IOException refused) {
                    return Optional.empty();
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1",
                    listener.getLocalPort())) {
                socket.startHandshake();
                InputStream in = socket.getInputStream();
                in.read();
            } catch (IOException refused) {
                // TLS 1.3 reports a refused client certificate on the first read, not in startHandshake.
            }
            return seen.get(30, TimeUnit.SECONDS);
        }
    }
}
