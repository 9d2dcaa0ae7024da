package dev.keel.node.tls;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code --auto-tls} and {@code --peer-auto-tls} as etcd 3.4 does them ({@code embed.Config.ClientSelfCert},
 * {@code PeerSelfCert}, {@code transport.SelfCert}): a self-signed certificate and key in
 * {@code <data-dir>/fixtures/client} or {@code <data-dir>/fixtures/peer}, files {@code cert.pem} and
 * {@code key.pem}, made once and reused as they are on every later start while both files exist. Certificate
 * and key files given with the flags win over the automatic ones, with etcd's warning.
 */
public final class AutoTls {
    private static final Set<String> FILE_ATTRIBUTE_VIEWS = FileSystems.getDefault().supportedFileAttributeViews();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Which port the certificate is for: names its directory, its flags and etcd's warning. */
    public enum Port {
        /** The client port: {@code --auto-tls}, {@code fixtures/client}. */
        CLIENT("client", "--auto-tls", "--cert-file and --key-file"),
        /** The peer port: {@code --peer-auto-tls}, {@code fixtures/peer}. */
        PEER("peer", "--peer-auto-tls", "--peer-cert-file and --peer-key-file");

        private final String dir;
        private final String flag;
        private final String fileFlags;

        Port(String dir, String flag, String fileFlags) {
            this.dir = dir;
            this.flag = flag;
            this.fileFlags = fileFlags;
        }

        /** @return etcd 3.4's warning when certificate files are given together with the auto flag */
        public String ignoredWarning() {
            return "ignoring " + dir + " auto TLS since certs given";
        }
    }

    private AutoTls() {
    }

    /**
     * Turns one port's flags into the TLS it serves with.
     *
     * @param given         the files from {@code --cert-file --key-file ...} (or the peer set), if any
     * @param autoTls       {@code --auto-tls} (or {@code --peer-auto-tls})
     * @param listenUrls    the port's listen URLs, whose hosts become the certificate's alternative names
     * @param validityYears {@code --self-signed-cert-validity}
     * @param log           where etcd's warning and the generation note go
     * @throws TlsFileException when the certificate cannot be written or the existing one read
     */
    public static PortTls resolve(Port port, Optional<TlsFiles> given, boolean autoTls, Path dataDir,
                                  List<String> listenUrls, int validityYears, Consumer<String> log) {
        if (!autoTls) {
            return new PortTls(given, false);
        }
        if (given.isPresent()) {
            log.accept(port.ignoredWarning());
            return new PortTls(given, false);
        }
        return new PortTls(Optional.of(selfCert(port, directory(dataDir, port), hosts(listenUrls),
                validityYears, Clock.systemUTC(), log)), true);
    }

    /** @return {@code <dataDir>/fixtures/client} or {@code <dataDir>/fixtures/peer} */
    public static Path directory(Path dataDir, Port port) {
        return dataDir.resolve("fixtures").resolve(port.dir);
    }

    /** @return the hosts of the URLs, without ports or duplicates, in order (IPv6 keeps its brackets) */
    public static List<String> hosts(List<String> urls) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String url : urls) {
            String host = URI.create(url).getHost();
            if (host != null && !host.isEmpty()) {
                hosts.add(host);
            }
        }
        return List.copyOf(hosts);
    }

    /**
     * Reuses {@code cert.pem} and {@code key.pem} in {@code dir} when both exist (as etcd, without comparing
     * their names to today's URLs), otherwise writes new ones: the directory 0700, the key 0600, the certificate
     * 0644, each file written whole under a temporary name and then renamed, so a crash leaves no half file.
     *
     * @return the files, without a CA and without client certificate verification (etcd drops both)
     * @throws TlsFileException naming the path and the fix
     */
    public static TlsFiles selfCert(Port port, Path dir, List<String> hosts, int validityYears, Clock clock,
                                    Consumer<String> log) {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TlsFiles files = new TlsFiles(cert, key, Optional.empty(), false);
        if (Files.exists(cert) && Files.exists(key)) {
            warnIfExpired(port, dir, cert, clock.instant(), log);
            return files;
        }
        var generated = SelfSignedCertificate.generate(hosts, Duration.ofDays(365L * validityYears),
                clock.instant(), RANDOM);
        try {
            createDirectory(dir);
            write(key, pem("PRIVATE KEY", generated.key().getPrivate().getEncoded()), "rw-------");
            write(cert, pem("CERTIFICATE", generated.certificate()), "rw-r--r--");
        } catch (IOException | UnsupportedOperationException e) {
            throw new TlsFileException(port.flag + ": cannot write the self-signed certificate in " + dir + ": " + e
                    + "; make " + dir + " writable by the user running Keel, or give " + port.fileFlags);
        }
        log.accept(port.flag + ": wrote a self-signed certificate for " + hosts + " to " + cert + " (key " + key
                + "), valid " + validityYears + " year(s)");
        return files;
    }

    private static void warnIfExpired(Port port, Path dir, Path cert, Instant now, Consumer<String> log) {
        X509Certificate existing;
        try {
            existing = PemFiles.certificates(cert).get(0);
        } catch (TlsFileException e) {
            throw new TlsFileException(e.getMessage() + "; remove " + dir + " and Keel writes a new self-signed"
                    + " certificate for " + port.flag);
        }
        if (existing.getNotAfter().toInstant().isBefore(now)) {
            // etcd reuses an expired certificate silently; Keel reuses it too but says why clients will refuse it.
            log.accept(port.flag + ": the self-signed certificate " + cert + " expired on "
                    + existing.getNotAfter().toInstant() + "; remove " + dir + " to have a new one written");
        }
    }

    private static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return; // etcd's TouchDirAll leaves an existing directory's mode alone
        }
        Files.createDirectories(dir, attributes("rwx------"));
    }

    private static void write(Path target, byte[] content, String mode) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp", attributes(mode));
        try {
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static FileAttribute<?>[] attributes(String mode) {
        if (!FILE_ATTRIBUTE_VIEWS.contains("posix")) {
            return new FileAttribute<?>[0]; // no POSIX modes (Windows): the directory's ACL applies
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))};
    }

    static byte[] pem(String type, byte[] der) {
        List<String> lines = new ArrayList<>();
        lines.add("-----BEGIN " + type + "-----");
        lines.add(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der));
        lines.add("-----END " + type + "-----");
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
