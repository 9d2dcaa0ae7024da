package dev.keel.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The TLS flags as etcd 3.4 parses and refuses them. */
class KeelMainTlsFlagsTest {
    private static NodeConfig parse(String... args) {
        KeelMain main = new KeelMain();
        new CommandLine(main).parseArgs(args);
        return main.toConfig().validate();
    }

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage();
    }

    @Test
    void clientTlsFlagsReachTheConfiguration() {
        NodeConfig c = parse("--listen-client-urls=https://127.0.0.1:2379",
                "--advertise-client-urls=https://127.0.0.1:2379", "--cert-file=s.pem", "--key-file=s-key.pem",
                "--trusted-ca-file=ca.pem", "--client-cert-auth",
                "--cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertEquals(Optional.of(Path.of("s.pem")), c.tls().client().certFile());
        assertEquals(Optional.of(Path.of("ca.pem")), c.tls().client().trustedCaFile());
        assertTrue(c.tls().client().clientCertAuth());
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
                c.tls().cipherSuites());
        assertEquals(1, c.tls().selfSignedCertValidityYears());
    }

    @Test
    void httpsWithoutCertificatesIsRefusedWithEtcdsWording() {
        assertEquals("TLS key/cert (--cert-file, --key-file) must be provided for client url https://127.0.0.1:2379"
                        + " with HTTPS scheme",
                refusal("--listen-client-urls=https://127.0.0.1:2379", "--advertise-client-urls=https://127.0.0.1:2379"));
    }

    @Test
    void incompleteOrInconsistentFlagsSayWhatToGive() {
        String https = "--listen-client-urls=https://127.0.0.1:2379";
        String advertise = "--advertise-client-urls=https://127.0.0.1:2379";
        assertTrue(refusal(https, advertise, "--cert-file=s.pem").contains("--cert-file and --key-file must be given"));
        assertTrue(refusal(https, advertise, "--cert-file=s.pem", "--key-file=k.pem", "--client-cert-auth")
                .contains("--client-cert-auth needs --trusted-ca-file"));
        assertTrue(refusal(https, advertise, "--cert-file=s.pem", "--key-file=k.pem", "--cipher-suites=TLS_NOPE")
                .startsWith("unexpected TLS cipher suite \"TLS_NOPE\""));
        assertTrue(refusal("--listen-client-urls=https://127.0.0.1:2379,http://127.0.0.1:2378", advertise,
                "--cert-file=s.pem", "--key-file=k.pem").contains("mixes http and https"));
    }

    @Test
    void autoTlsStandsInForTheCertificateFiles() {
        NodeConfig c = parse("--listen-client-urls=https://127.0.0.1:2379",
                "--advertise-client-urls=https://127.0.0.1:2379", "--auto-tls", "--self-signed-cert-validity=3");
        assertTrue(c.tls().client().autoTls());
        assertTrue(c.tls().client().empty());
        assertEquals(3, c.tls().selfSignedCertValidityYears());
        // Given together, both are accepted: the files win at startup (with etcd's warning), as in etcd.
        NodeConfig both = parse("--listen-client-urls=https://127.0.0.1:2379",
                "--advertise-client-urls=https://127.0.0.1:2379", "--auto-tls", "--cert-file=s.pem",
                "--key-file=k.pem");
        assertEquals(Optional.of(Path.of("s.pem")), both.tls().client().certFile());
        assertTrue(refusal("--self-signed-cert-validity=0").contains("--self-signed-cert-validity must be at least 1"));
    }

    @Test
    void peerHttpsIsRefusedUntilPeerTlsIsWired() {
        String peer = "https://127.0.0.1:2380";
        String[] base = {"--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer};
        assertTrue(refusal(base).startsWith("TLS key/cert (--peer-cert-file, --peer-key-file) must be provided for"
                + " peer url " + peer));
        assertTrue(refusal(base[0], base[1], "--peer-cert-file=p.pem", "--peer-key-file=p-key.pem")
                .contains("https peer URLs are not supported by Keel yet"));
        // --peer-auto-tls stands in for the files, so what remains is the refusal of https peer URLs as such.
        assertTrue(refusal(base[0], base[1], "--peer-auto-tls")
                .contains("https peer URLs are not supported by Keel yet"));
    }

    @Test
    void certificatesWithHttpUrlsAreAcceptedAndIgnored() {
        NodeConfig c = parse("--cert-file=s.pem", "--key-file=s-key.pem");
        assertEquals(List.of("http://localhost:2379"), c.listenClientUrls());
    }
}
