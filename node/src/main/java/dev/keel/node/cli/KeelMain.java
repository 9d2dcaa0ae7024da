package dev.keel.node.cli;

import dev.keel.kernel.raft.RaftNode;
import dev.keel.node.KeelNode;
import dev.keel.node.NodeStartException;
import dev.keel.node.WatchSettings;
import dev.keel.node.auth.AuthSettings;
import dev.keel.node.config.InitialCluster;
import dev.keel.node.config.NodeConfig;
import dev.keel.node.config.Urls;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import dev.keel.node.config.PortTlsFlags;
import dev.keel.node.config.TlsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code bin/keel}: runs one member with etcd 3.4's server flags and defaults. Every flag can also come from
 * an environment variable named like etcd's with a {@code KEEL_} prefix ({@code --data-dir} ←
 * {@code KEEL_DATA_DIR}); a flag given on the command line wins. Bad flags: one line on stderr, exit code 2.
 */
@Command(name = "keel", mixinStandardHelpOptions = true, versionProvider = KeelMain.Version.class,
        subcommands = SnapshotCommand.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Runs one Keel member: an etcd-compatible, Raft-replicated key-value store.")
public final class KeelMain implements Callable<Integer> {
    /** Hands the Raft node to tests before the kernel thread starts; does nothing in production. */
    private Consumer<RaftNode> kernelSetup = raft -> { };

    /** Keel's version and the etcd API it serves. */
    static final String VERSION = "0.1.0";

    @Option(names = "--name", defaultValue = "${env:KEEL_NAME:-default}", description = "Human-readable name for this member.")
    String name;
    @Option(names = "--data-dir", defaultValue = "${env:KEEL_DATA_DIR}", description = "Path to the data directory (default: <name>.keel).")
    String dataDir;
    @Option(names = "--listen-client-urls", defaultValue = "${env:KEEL_LISTEN_CLIENT_URLS}",
            description = "URLs to listen on for client traffic (default: http://localhost:2379).")
    String listenClientUrls;
    @Option(names = "--advertise-client-urls", defaultValue = "${env:KEEL_ADVERTISE_CLIENT_URLS}",
            description = "This member's client URLs to advertise to the cluster (default: http://localhost:2379).")
    String advertiseClientUrls;
    @Option(names = "--listen-peer-urls", defaultValue = "${env:KEEL_LISTEN_PEER_URLS:-http://localhost:2380}",
            description = "URLs to listen on for peer traffic.")
    String listenPeerUrls;
    @Option(names = "--initial-advertise-peer-urls",
            defaultValue = "${env:KEEL_INITIAL_ADVERTISE_PEER_URLS:-http://localhost:2380}",
            description = "This member's peer URLs to advertise to the rest of the cluster.")
    String initialAdvertisePeerUrls;
    @Option(names = "--initial-cluster", defaultValue = "${env:KEEL_INITIAL_CLUSTER}",
            description = "Initial cluster configuration for bootstrapping (default: <name>=<initial-advertise-peer-urls>).")
    String initialCluster;
    @Option(names = "--initial-cluster-state", defaultValue = "${env:KEEL_INITIAL_CLUSTER_STATE:-new}",
            description = "Initial cluster state ('new' or 'existing').")
    String initialClusterState;
    @Option(names = "--initial-cluster-token", defaultValue = "${env:KEEL_INITIAL_CLUSTER_TOKEN:-etcd-cluster}",
            description = "Initial cluster token for the cluster during bootstrap.")
    String initialClusterToken;
    @Option(names = "--heartbeat-interval", defaultValue = "${env:KEEL_HEARTBEAT_INTERVAL:-100}",
            description = "Time (in milliseconds) of a heartbeat interval.")
    long heartbeatInterval;
    @Option(names = "--election-timeout", defaultValue = "${env:KEEL_ELECTION_TIMEOUT:-1000}",
            description = "Time (in milliseconds) for an election to timeout.")
    long electionTimeout;
    @Option(names = "--snapshot-count", defaultValue = "${env:KEEL_SNAPSHOT_COUNT:-100000}",
            description = "Number of committed transactions to trigger a snapshot to disk.")
    long snapshotCount;
    @Option(names = "--auto-compaction-mode", defaultValue = "${env:KEEL_AUTO_COMPACTION_MODE:-periodic}",
            description = "Interpret 'auto-compaction-retention' one of: periodic|revision.")
    String autoCompactionMode;
    @Option(names = "--auto-compaction-retention", defaultValue = "${env:KEEL_AUTO_COMPACTION_RETENTION:-0}",
            description = "Auto compaction retention length. 0 means disable auto compaction.")
    String autoCompactionRetention;
    @Option(names = "--quota-backend-bytes", defaultValue = "${env:KEEL_QUOTA_BACKEND_BYTES:-0}",
            description = "Raise alarms when backend size exceeds the given quota (0 defaults to low space quota).")
    long quotaBackendBytes;
    @Option(names = "--max-request-bytes", defaultValue = "${env:KEEL_MAX_REQUEST_BYTES:-1572864}",
            description = "Maximum client request size in bytes the server will accept.")
    int maxRequestBytes;
    @Option(names = "--max-txn-ops", defaultValue = "${env:KEEL_MAX_TXN_OPS:-128}",
            description = "Maximum number of operations permitted in a transaction.")
    int maxTxnOps;
    @Option(names = "--max-concurrent-streams", defaultValue = "${env:KEEL_MAX_CONCURRENT_STREAMS:-1000}",
            description = "Maximum concurrent streams that each client can open at a time (etcd's default is "
                    + "unlimited, Keel's 1000; at most 4294967295).")
    long maxConcurrentStreams;
    @Option(names = "--experimental-watch-progress-notify-interval",
            defaultValue = "${env:KEEL_EXPERIMENTAL_WATCH_PROGRESS_NOTIFY_INTERVAL:-10m}",
            description = "Duration of periodic watch progress notifications (Go form: 10m, 30s, 500ms).")
    String watchProgressNotifyInterval;
    @Option(names = "--watch-buffer-bytes", defaultValue = "${env:KEEL_WATCH_BUFFER_BYTES:-4194304}",
            description = "Per watch stream, the most bytes of events held for a client that is not reading; "
                    + "beyond it the events are replayed from history later (Keel only).")
    int watchBufferBytes;
    @Option(names = "--auth-token", defaultValue = "${env:KEEL_AUTH_TOKEN:-simple}",
            description = "Token type: simple, or jwt,pub-key=PATH,priv-key=PATH,sign-method=RS256,ttl=5m.")
    String authToken;
    @Option(names = "--auth-token-ttl", defaultValue = "${env:KEEL_AUTH_TOKEN_TTL:-300}",
            description = "The lifetime in seconds of an unused simple auth token.")
    long authTokenTtl;

    @Option(names = "--cert-file", defaultValue = "${env:KEEL_CERT_FILE}",
            description = "Path to the client server TLS cert file.")
    String certFile;
    @Option(names = "--key-file", defaultValue = "${env:KEEL_KEY_FILE}",
            description = "Path to the client server TLS key file.")
    String keyFile;
    @Option(names = "--trusted-ca-file", defaultValue = "${env:KEEL_TRUSTED_CA_FILE}",
            description = "Path to the client server TLS trusted CA cert file.")
    String trustedCaFile;
    @Option(names = "--client-cert-auth", defaultValue = "${env:KEEL_CLIENT_CERT_AUTH:-false}", arity = "0..1",
            description = "Enable client cert authentication.")
    boolean clientCertAuth;
    @Option(names = "--auto-tls", defaultValue = "${env:KEEL_AUTO_TLS:-false}", arity = "0..1",
            description = "Client TLS using generated certificates (not supported by Keel yet: refused).")
    boolean autoTls;
    @Option(names = "--peer-cert-file", defaultValue = "${env:KEEL_PEER_CERT_FILE}",
            description = "Path to the peer server TLS cert file.")
    String peerCertFile;
    @Option(names = "--peer-key-file", defaultValue = "${env:KEEL_PEER_KEY_FILE}",
            description = "Path to the peer server TLS key file.")
    String peerKeyFile;
    @Option(names = "--peer-trusted-ca-file", defaultValue = "${env:KEEL_PEER_TRUSTED_CA_FILE}",
            description = "Path to the peer server TLS trusted CA file.")
    String peerTrustedCaFile;
    @Option(names = "--peer-client-cert-auth", defaultValue = "${env:KEEL_PEER_CLIENT_CERT_AUTH:-false}",
            arity = "0..1", description = "Enable peer client cert authentication.")
    boolean peerClientCertAuth;
    @Option(names = "--peer-auto-tls", defaultValue = "${env:KEEL_PEER_AUTO_TLS:-false}", arity = "0..1",
            description = "Peer TLS using generated certificates (not supported by Keel yet: refused).")
    boolean peerAutoTls;
    @Option(names = "--cipher-suites", defaultValue = "${env:KEEL_CIPHER_SUITES:-}",
            description = "Comma-separated list of supported TLS cipher suites between client/server and peers "
                    + "(empty will be auto-populated by Go).")
    String cipherSuites;
    @Option(names = "--self-signed-cert-validity", defaultValue = "${env:KEEL_SELF_SIGNED_CERT_VALIDITY:-1}",
            description = "The validity period of the client and peer certificates that are automatically "
                    + "generated by etcd when you specify ClientAutoTLS and PeerAutoTLS, the unit is year, and the "
                    + "default is 1.")
    int selfSignedCertValidity;

    /** Parses, starts the member, and waits until it stops. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** @return the process exit code: 0 after a clean stop, 1 when the member failed, 2 for bad flags */
    public static int run(String... args) {
        return run(raft -> { }, args);
    }

    /**
     * As {@link #run(String...)}, with a kernel setup for tests (see
     * {@link KeelNode#start(NodeConfig, WatchSettings, Consumer)}): a test launcher on the kernel's test jar uses
     * it to start a real member with a deliberate protocol bug.
     */
    public static int run(Consumer<RaftNode> kernelSetup, String... args) {
        KeelMain main = new KeelMain();
        main.kernelSetup = kernelSetup;
        CommandLine cl = new CommandLine(main);
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("keel: " + e.getMessage() + " (see keel --help)");
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        NodeConfig config;
        try {
            config = toConfig().validate();
        } catch (IllegalArgumentException e) {
            System.err.println("keel: " + e.getMessage() + " (see keel --help)");
            return 2;
        }
        WatchSettings watch;
        dev.keel.node.auth.AuthTokens tokens;
        try {
            watch = watchSettings();
            tokens = authSettings().tokens(ttl -> GoDuration.millis(ttl, "--auth-token ttl"),
                    () -> System.nanoTime() / 1_000_000, System::currentTimeMillis);
        } catch (IllegalArgumentException e) {
            System.err.println("keel: " + e.getMessage() + " (see keel --help)");
            return 2;
        }
        KeelNode node;
        try {
            node = KeelNode.start(config, watch, tokens, kernelSetup);
        } catch (NodeStartException e) {
            System.err.println("keel: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "keel-shutdown"));
        String failure = node.awaitStop();
        if (failure != null) {
            System.err.println("keel: " + failure);
        }
        return failure == null ? 0 : 1;
    }

    /** The watch flags: the per-stream buffer and etcd's progress interval. */
    WatchSettings watchSettings() {
        return new WatchSettings(watchBufferBytes, GoDuration.millis(watchProgressNotifyInterval,
                "--experimental-watch-progress-notify-interval"));
    }

    /** The auth flags; {@link AuthSettings#tokens} also reads JWT key files, so bad keys fail at start. */
    AuthSettings authSettings() {
        return AuthSettings.parse(authToken, authTokenTtl);
    }

    NodeConfig toConfig() {
        if (listenClientUrls != null && advertiseClientUrls == null) {
            throw new IllegalArgumentException(
                    "--advertise-client-urls is required when --listen-client-urls is set explicitly");
        }
        String clientListen = listenClientUrls == null ? "http://localhost:2379" : listenClientUrls;
        String clientAdvertise = advertiseClientUrls == null ? "http://localhost:2379" : advertiseClientUrls;
        String cluster = initialCluster != null ? initialCluster : name + "=" + initialAdvertisePeerUrls;
        boolean isNew = switch (initialClusterState) {
            case "new" -> true;
            case "existing" -> false;
            default -> throw new IllegalArgumentException("--initial-cluster-state: invalid value \""
                    + initialClusterState + "\" (use new or existing)");
        };
        return new NodeConfig(name, Path.of(dataDir != null ? dataDir : name + ".keel"),
                Urls.list(clientListen, "--listen-client-urls"), Urls.list(clientAdvertise, "--advertise-client-urls"),
                Urls.list(listenPeerUrls, "--listen-peer-urls"),
                Urls.list(initialAdvertisePeerUrls, "--initial-advertise-peer-urls"), InitialCluster.parse(cluster),
                isNew, initialClusterToken, heartbeatInterval, electionTimeout, snapshotCount, autoCompactionMode,
                autoCompactionRetention, quotaBackendBytes, maxRequestBytes, maxTxnOps).withTls(tlsConfig())
                .withMaxConcurrentStreams(maxConcurrentStreams);
    }

    /** The TLS flags of both ports, as given (checked by {@link NodeConfig#validate()}). */
    TlsConfig tlsConfig() {
        List<String> suites = new ArrayList<>();
        for (String s : cipherSuites.split(",")) {
            if (!s.isBlank()) {
                suites.add(s.trim());
            }
        }
        return new TlsConfig(new PortTlsFlags(path(certFile), path(keyFile), path(trustedCaFile), clientCertAuth,
                autoTls), new PortTlsFlags(path(peerCertFile), path(peerKeyFile), path(peerTrustedCaFile),
                peerClientCertAuth, peerAutoTls), suites, selfSignedCertValidity);
    }

    private static Optional<Path> path(String flag) {
        return flag == null || flag.isBlank() ? Optional.empty() : Optional.of(Path.of(flag));
    }

    /** {@code --version}: Keel's version and the etcd API it serves. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"keel Version: " + VERSION, "etcd API Version: 3.4", "Java Version: "
                    + System.getProperty("java.version")};
        }
    }
}
