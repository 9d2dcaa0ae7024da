package dev.keel.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.node.config.NodeConfig;
import dev.keel.node.config.PortTlsFlags;
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
    void peerTlsFlagsReachTheConfigurationWithHttpsPeerUrls() {
        String peer = "https://127.0.0.1:2380";
        NodeConfig c = parse("--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer,
                "--peer-cert-file=p.pem", "--peer-key-file=p-key.pem", "--peer-trusted-ca-file=ca.pem",
                "--peer-client-cert-auth");
        assertEquals(List.of(peer), c.listenPeerUrls());
        assertEquals(Optional.of(Path.of("p.pem")), c.tls().peer().certFile());
        assertEquals(Optional.of(Path.of("p-key.pem")), c.tls().peer().keyFile());
        assertEquals(Optional.of(Path.of("ca.pem")), c.tls().peer().trustedCaFile());
        assertTrue(c.tls().peer().clientCertAuth());
        assertEquals(PortTlsFlags.NONE, c.tls().client(), "the client port's flags are separate");
    }

    @Test
    void peerHttpsWithoutCertificatesOrWithMixedSchemesIsRefused() {
        String peer = "https://127.0.0.1:2380";
        String[] base = {"--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer};
        String[] files = {"--peer-cert-file=p.pem", "--peer-key-file=p-key.pem"};
        assertEquals("TLS key/cert (--peer-cert-file, --peer-key-file) must be provided for peer url " + peer
                + " with HTTPS scheme", refusal(base));
        assertTrue(refusal(base[0], base[1], "--peer-cert-file=p.pem").contains(
                "--peer-cert-file and --peer-key-file must be given together"));
        assertTrue(refusal(base[0], base[1], files[0], files[1], "--peer-client-cert-auth").contains(
                "--peer-client-cert-auth needs --peer-trusted-ca-file"));
        assertEquals(List.of(peer), parse(base[0], base[1], "--peer-auto-tls").listenPeerUrls(),
                "--peer-auto-tls stands in for the files");
        assertTrue(refusal("--listen-peer-urls=https://127.0.0.1:2380,http://127.0.0.1:2381", base[1], files[0],
                files[1]).contains("--listen-peer-urls mixes http and https"));
        // One scheme between all members: an https member in a cluster of http peers (or the reverse) is refused.
        String mixed = refusal(base[0], base[1], files[0], files[1], "--name=a",
                "--initial-cluster=a=" + peer + ",b=http://127.0.0.1:2390");
        assertTrue(mixed.startsWith("peer URLs mix http and https: --listen-peer-urls is https but"
                + " --initial-cluster/--initial-advertise-peer-urls give http://127.0.0.1:2390;"), mixed);
        String plain = refusal("--listen-peer-urls=http://127.0.0.1:2380",
                "--initial-advertise-peer-urls=https://127.0.0.1:2380", files[0], files[1]);
        assertTrue(plain.contains("--listen-peer-urls is http but --initial-cluster/--initial-advertise-peer-urls "
                + "give https://127.0.0.1:2380"), plain);
        assertTrue(refusal("--name=a", "--initial-cluster=a=http://localhost:2380,b=https://127.0.0.1:2390")
                .contains("make every peer URL https (with --peer-cert-file and --peer-key-file) or every one http"));
    }

    @Test
    void peerCertificatesWithHttpPeerUrlsAreAcceptedAndIgnored() {
        NodeConfig c = parse("--peer-cert-file=p.pem", "--peer-key-file=p-key.pem");
        assertEquals(List.of("http://localhost:2380"), c.listenPeerUrls());
    }

    @Test
    void certificatesWithHttpUrlsAreAcceptedAndIgnored() {
        NodeConfig c = parse("--cert-file=s.pem", "--key-file=s-key.pem");
        assertEquals(List.of("http://localhost:2379"), c.listenClientUrls());
    }
}
