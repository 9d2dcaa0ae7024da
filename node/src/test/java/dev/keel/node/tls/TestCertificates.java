package dev.keel.node.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for tests, made by the installed {@code openssl} as an operator would make them: a CA, server
 * certificates for 127.0.0.1/localhost and client certificates with a chosen CN, as PEM files in a directory.
 */
public final class TestCertificates {
    private final Path dir;
    private final String caName;

    /** A PEM certificate and its key. */
    public record Pair(Path cert, Path key) {
    }

    private TestCertificates(Path dir, String caName) {
        this.dir = dir;
        this.caName = caName;
    }

    /** Creates a CA (ca.pem, ca-key.pem) in {@code dir}. */
    public static TestCertificates createCa(Path dir, String caName) {
        TestCertificates certificates = new TestCertificates(dir, caName);
        certificates.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve(caName + "-key.pem").toString(), "-out", dir.resolve(caName + ".pem").toString(),
                "-days", "2", "-subj", "/CN=" + caName, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return certificates;
    }

    /** @return the CA certificate file */
    public Path ca() {
        return dir.resolve(caName + ".pem");
    }

    /** @return a server certificate for 127.0.0.1 and localhost, named {@code name}.pem / name-key.pem */
    public Pair server(String name) {
        return issue(name, name, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth");
    }

    /** @return a client certificate whose subject CN is {@code commonName} */
    public Pair client(String name, String commonName) {
        return issue(name, commonName, "extendedKeyUsage=clientAuth");
    }

    private Pair issue(String name, String commonName, String extensions) {
        Path key = dir.resolve(name + "-key.pem");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        Path ext = dir.resolve(name + ".ext");
        try {
            Files.writeString(ext, extensions + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                "-subj", "/CN=" + commonName);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca().toString(), "-CAkey",
                dir.resolve(caName + "-key.pem").toString(), "-CAcreateserial", "-days", "2",
                "-extfile", ext.toString(), "-out", cert.toString());
        return new Pair(cert, key);
    }

    /** Runs openssl in the directory, failing the test with its output when it fails. */
    public void openssl(String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
