package dev.keel.node.tls;

import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import dev.keel.node.config.InitialCluster;
import dev.keel.node.config.NodeConfig;
import dev.keel.node.config.PortTlsFlags;
import dev.keel.node.config.TlsConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** What the TLS cluster tests share: https members, the real etcdctl with certificates, TLS probes, the log. */
final class TlsClusters {
    private TlsClusters() {
    }

    /** What etcdctl printed (stdout and stderr together) and its exit code. */
    record Result(int exit, String output) {
    }

    /** The same member with https client and peer URLs, in an https {@code --initial-cluster}. */
    static NodeConfig https(NodeConfig c, String clusterToken) {
        return new NodeConfig(c.name(), c.dataDir(), toHttps(c.listenClientUrls()), toHttps(c.advertiseClientUrls()),
                toHttps(c.listenPeerUrls()), toHttps(c.initialAdvertisePeerUrls()),
                InitialCluster.parse(c.initialCluster().toString().replace("http://", "https://")), c.newCluster(),
                clusterToken, c.heartbeatMillis(), c.electionMillis(), c.snapshotCount(),
                c.autoCompactionMode(), c.autoCompactionRetention(), c.quotaBackendBytes(), c.maxRequestBytes(),
                c.maxTxnOps());
    }

    /** The same member with https client URLs (its peer URLs unchanged). */
    static NodeConfig httpsClients(NodeConfig c) {
        return new NodeConfig(c.name(), c.dataDir(), toHttps(c.listenClientUrls()), toHttps(c.advertiseClientUrls()),
                c.listenPeerUrls(), c.initialAdvertisePeerUrls(), c.initialCluster(), c.newCluster(),
                c.clusterToken(), c.heartbeatMillis(), c.electionMillis(), c.snapshotCount(),
                c.autoCompactionMode(), c.autoCompactionRetention(), c.quotaBackendBytes(), c.maxRequestBytes(),
                c.maxTxnOps());
    }

    private static List<String> toHttps(List<String> urls) {
        return urls.stream().map(u -> u.replaceFirst("^http://", "https://")).toList();
    }

    /** TLS on both ports with client-cert-auth on both, as {@code bin/keel-cluster start --tls} runs members. */
    static TlsConfig bothPorts(TestCertificates.Pair clientPort, TestCertificates.Pair peerPort, Path ca) {
        PortTlsFlags client = new PortTlsFlags(Optional.of(clientPort.cert()), Optional.of(clientPort.key()),
                Optional.of(ca), true, false);
        PortTlsFlags peer = new PortTlsFlags(Optional.of(peerPort.cert()), Optional.of(peerPort.key()),
                Optional.of(ca), true, false);
        return new TlsConfig(client, peer, List.of(), 1);
    }

    /** @return the running members' client endpoints as https URLs, comma-separated */
    static String endpoints(KeelCluster cluster) {
        List<String> out = new ArrayList<>();
        for (String e : cluster.endpoints().split(",")) {
            out.add("https://" + e);
        }
        return String.join(",", out);
    }

    /** @return etcdctl's --cacert/--cert/--key for this certificate */
    static List<String> certFlags(Path ca, TestCertificates.Pair cert) {
        return List.of("--cacert=" + ca, "--cert=" + cert.cert(), "--key=" + cert.key());
    }

    /** Runs the installed etcdctl (API v3) and waits at most 30 s for it. */
    static Result etcdctl(String endpoints, List<String> tlsFlags, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints, "--dial-timeout=3s",
                "--command-timeout=10s"));
        command.addAll(tlsFlags);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("etcdctl " + String.join(" ", args) + " did not finish in 30 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /**
     * Waits until each of the endpoints knows a leader: a member that has not heard from one yet answers "no
     * leader", which etcdctl does not retry.
     */
    static void awaitLeader(List<String> endpoints, List<String> tlsFlags) {
        Pattern leader = Pattern.compile("\"leader\":([1-9][0-9]*)");
        for (String endpoint : endpoints) {
            Awaits.until(endpoint + " knows a leader", 30_000, () -> {
                try {
                    Result status = etcdctl(endpoint, tlsFlags, "endpoint", "status", "-w", "json");
                    return status.exit() == 0 && leader.matcher(status.output()).find();
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError("etcdctl did not run", e);
                }
            });
        }
    }

    /** @return a JDK TLS context presenting {@code cert} and trusting {@code ca}, for the tests' own probes */
    static SSLContext context(TestCertificates.Pair cert, Path ca) {
        return new ReloadingTls(new TlsFiles(cert.cert(), cert.key(), Optional.of(ca), false), line -> { })
                .sslContext();
    }

    /** @return the serial number of the certificate a TLS server at {@code address} presents */
    static BigInteger presentedSerial(InetSocketAddress address, SSLContext context) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(),
                address.getPort())) {
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /**
     * Copies what is written to {@code System.err} — where Keel's log (slf4j-simple) goes — while it is open, and
     * still passes everything through.
     */
    static final class StderrCapture implements AutoCloseable {
        private final PrintStream original = System.err;
        private final StringBuffer captured = new StringBuffer();

        StderrCapture() {
            System.setErr(new PrintStream(new OutputStream() {
                @Override
                public void write(int b) {
                    original.write(b);
                    captured.append((char) b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    original.write(b, off, len);
                    captured.append(new String(b, off, len, StandardCharsets.UTF_8));
                }
            }, true, StandardCharsets.UTF_8));
        }

        /** @return everything written since this capture started */
        String text() {
            return captured.toString();
        }

        @Override
        public void close() {
            System.setErr(original);
        }
    }
}
