package dev.keel.node;

import dev.keel.kernel.mvcc.HeapBudget;
import dev.keel.node.auth.AuthSettings;
import dev.keel.node.auth.AuthTokens;
import dev.keel.node.auth.NodeAuth;
import dev.keel.node.auth.Passwords;
import dev.keel.node.auth.SimpleTokens;
import dev.keel.node.config.MemberIds;
import dev.keel.node.config.NodeConfig;
import dev.keel.node.config.Urls;
import dev.keel.node.disk.FileDisk;
import dev.keel.node.metrics.NodeMetrics;
import dev.keel.kernel.raft.RaftNode;
import dev.keel.replica.StartResult;
import dev.keel.node.config.TlsConfig;
import dev.keel.node.tls.AutoTls;
import dev.keel.node.tls.PortTls;
import dev.keel.node.tls.ReloadingTls;
import dev.keel.node.tls.TlsReloader;
import dev.keel.transport.tcp.PeerTls;
import dev.keel.transport.tcp.TcpTransport;
import dev.keel.transport.tcp.TcpTransportStats;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One running Keel member: its replica on files ({@link FileDisk}), its peers over TCP ({@link TcpTransport}),
 * its kernel thread (an Agrona agent) and its client port (etcd's gRPC API). {@code bin/keel} runs one per
 * process; {@link KeelServer} and {@link KeelCluster} run them inside a Java program's own JVM.
 */
public final class KeelNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("keel");
    /** Peer frames up to this size: a snapshot chunk or an append batch plus the kernel's header. */
    private static final int MAX_PEER_FRAME_BYTES = 8 << 20;
    private static final int PEER_QUEUE_BYTES = 32 << 20;
    /** How often the TLS files are checked for a replacement (etcd re-reads them at each handshake). */
    static final long TLS_RELOAD_POLL_MILLIS = 2_000;
    /** How the replica's recovery messages mention a WAL segment: by its sequence number, in decimal. */
    private static final Pattern SEGMENT_MENTION = Pattern.compile("(WAL )?segment (\\d{1,18})\\b");

    private final NodeConfig config;
    private final FileDisk disk;
    private final TcpTransport transport;
    /** Polls the client and peer ports' certificate files; null without TLS. */
    private TlsReloader tlsReloader;
    /** The peer port's key, certificate and CA; null when the peer URLs are http. */
    private ReloadingTls peerTls;
    private final AgentRunner runner;
    private final ClientServer clients;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile String failure;
    /** Set once while opening, before the node is handed out. */
    private WatchStats watchStats;

    private KeelNode(NodeConfig config, FileDisk disk, TcpTransport transport, AgentRunner runner,
                     ClientServer clients) {
        this.config = config;
        this.disk = disk;
        this.transport = transport;
        this.runner = runner;
        this.clients = clients;
    }

    /**
     * Starts a member: recovers its data directory, opens its peer and client ports, starts its kernel thread.
     *
     * @throws NodeStartException when the configuration, the data directory or a port does not allow it, with
     *                            a message saying what to do
     */
    public static KeelNode start(NodeConfig config) {
        return start(config, WatchSettings.DEFAULTS);
    }

    /** As {@link #start(NodeConfig)}, serving watches with {@code watch}'s buffer and progress interval. */
    public static KeelNode start(NodeConfig config, WatchSettings watch) {
        return start(config, watch, raft -> { });
    }

    /**
     * As {@link #start(NodeConfig, WatchSettings)}, handing the recovered Raft node to {@code kernelSetup} before
     * the kernel thread starts. For tests only: the kernel's test jar turns deliberate protocol bugs on through
     * it (its {@code BugInjector}), so a fault harness can prove it catches them in a real process. Production
     * never passes one; without the test jar there is nothing it could switch on.
     */
    public static KeelNode start(NodeConfig config, WatchSettings watch, Consumer<RaftNode> kernelSetup) {
        return start(config, watch, defaultTokens(), kernelSetup);
    }

    /** Simple tokens with etcd's default TTL, on this process's monotonic clock. */
    private static AuthTokens defaultTokens() {
        return new SimpleTokens(() -> System.nanoTime() / 1_000_000,
                AuthSettings.DEFAULT_TOKEN_TTL_SECONDS * 1000, new java.security.SecureRandom());
    }

    /**
     * As {@link #start(NodeConfig, WatchSettings, Consumer)}, with the token provider of {@code --auth-token}
     * (built by the caller, which owns its clock).
     */
    public static KeelNode start(NodeConfig config, WatchSettings watch, AuthTokens tokens,
                                 Consumer<RaftNode> kernelSetup) {
        try {
            config.validate();
        } catch (IllegalArgumentException e) {
            throw new NodeStartException(e.getMessage(), e);
        }
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            return open(config, watch, tokens, kernelSetup, opened);
        } catch (RuntimeException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                closeQuietly(opened.get(i));
            }
            throw e instanceof NodeStartException n ? n : new NodeStartException(e.getMessage(), e);
        }
    }

    private static KeelNode open(NodeConfig flags, WatchSettings watch, AuthTokens tokens,
                                 Consumer<RaftNode> kernelSetup, List<AutoCloseable> opened) {
        FileDisk disk = FileDisk.open(flags.dataDir(), flags.replicaConfig(0).walSegmentBytes());
        opened.add(disk);
        // Before the identity: a joining member asks the others over their peer ports, which may speak TLS.
        Consumer<String> peerLog = line -> LOG.warn("name={} {}", flags.name(), line);
        PortTls peerPort = peerPortTls(flags, peerLog);
        Optional<ReloadingTls> peerTls = portTls(flags.listenPeerUrls(), peerPort, "peer",
                "--peer-client-cert-auth", peerLog);
        PeerTls peerSettings = peerTls.map(m -> peerSettings(flags, peerPort, m)).orElse(null);
        NodeConfig config = ClusterJoin.identify(flags, disk, peerSettings,
                line -> LOG.info("name={} {}", flags.name(), line));
        long id = config.memberId();
        String heap = HeapBudget.heapWarning(config.quotaBytes(), Runtime.getRuntime().maxMemory());
        if (heap != null) {
            LOG.warn("member={} {}", MemberIds.hex(id), heap);
        }
        NodeMetrics metrics = new NodeMetrics(); // one per member: several members share a JVM in tests
        disk.timings(metrics);
        TcpTransport transport = openTransport(config, peerSettings);
        opened.add(transport);
        Inbox inbox = new Inbox(config.maxRequestBytes() + ClientServer.GRPC_OVERHEAD_BYTES);
        Calls calls = new Calls(1 << 16);
        PeerSync peers = new PeerSync(id, config.clusterId(), transport, config.peerAddresses(),
                line -> LOG.info("member={} {}", MemberIds.hex(id), line));
        transport.answerQueriesWith(peers::answer);
        NodeAgent agent = new NodeAgent(config, disk, disk::takeCompletedSync, transport, transport::peerInfo,
                inbox, calls, peers, metrics.kernel());
        Consumer<String> tlsLog = line -> LOG.warn("member={} {}", MemberIds.hex(id), line);
        PortTls clientPort = clientPortTls(config, tlsLog);
        // Subscribed before recovery, so the token table hears the auth state a restored snapshot reports.
        // The resolved flag: with --auto-tls etcd drops --client-cert-auth, so no certificate names a user.
        NodeAuth auth = new NodeAuth(tokens, agent.authEvents(), clientPort.clientCertAuth(), Passwords.ETCD_COST);
        opened.add(auth);
        recover(agent, config, disk, kernelSetup);
        List<InetSocketAddress> listen = new ArrayList<>();
        config.listenClientUrls().forEach(url -> listen.add(Urls.parse(url, "--listen-client-urls")));
        WatchStats watchStats = new WatchStats();
        Optional<ReloadingTls> clientTls = portTls(config.listenClientUrls(), clientPort, "client",
                "--client-cert-auth", tlsLog);
        ClientServer clients = new ClientServer(listen, new InboxGate(inbox, calls, agent.authEvents()),
                config.maxRequestBytes(), config.maxTxnOps(), id, metrics, watch, watchStats, config.name(), auth,
                clientTls, config.tls().cipherSuites(), config.maxConcurrentStreams());
        opened.add(clients);
        TlsReloader reloader = reloader(clientTls, peerTls);
        if (reloader != null) {
            opened.add(reloader);
        }
        KeelNode[] self = new KeelNode[1];
        AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000),
                t -> self[0].agentFailed(t), null, agent);
        self[0] = new KeelNode(config, disk, transport, runner, clients);
        self[0].watchStats = watchStats;
        self[0].tlsReloader = reloader;
        self[0].peerTls = peerTls.orElse(null);
        // The client port first: starting the server loads thousands of classes, and a kernel thread already
        // running would campaign while it is starved of CPU (requests that arrive early wait in the inbox).
        clients.start();
        Thread kernel = AgentRunner.startOnThread(runner);
        inbox.consumer(kernel);
        // The kernel thread parks up to 1 ms when idle; a peer's append or ack must not wait that out on every
        // hop of a write (follower append, leader ack), so the transport's I/O thread wakes it as the API does.
        transport.onArrival(() -> LockSupport.unpark(kernel));
        opened.add(runner);
        self[0].watchForSelfStop(agent);
        self[0].logStartup();
        return self[0];
    }

    /** Recovers the replica from the data directory, or says why the member cannot start on it. */
    private static void recover(NodeAgent agent, NodeConfig config, FileDisk disk, Consumer<RaftNode> kernelSetup) {
        long id = config.memberId();
        StartResult result = agent.start();
        if (!result.started()) {
            throw new NodeStartException("member " + MemberIds.hex(id) + " refuses to start: "
                    + withSegmentFiles(result.refusal(), disk) + " (data dir " + config.dataDir().toAbsolutePath()
                    + "; restore it from a healthy member or remove it and re-add the member)");
        }
        kernelSetup.accept(agent.raft());
        if (result.note() != null) {
            LOG.warn("member={} recovery: {}", MemberIds.hex(id), withSegmentFiles(result.note(), disk));
        }
    }

    /**
     * A port's TLS material, loaded now so a bad file stops the start with its reason. As etcd, files given (or
     * generated by an auto-tls flag) with http URLs are ignored with etcd's warning, and so is client-cert-auth.
     *
     * @param kind "client" or "peer", as etcd's warnings name the URLs
     * @param certAuthFlag the port's client-cert-auth flag, as the warning names it
     */
    private static Optional<ReloadingTls> portTls(List<String> urls, PortTls port, String kind, String certAuthFlag,
                                                  Consumer<String> log) {
        if (!TlsConfig.anyHttps(urls)) {
            for (String url : urls) {
                if (port.files().isPresent()) {
                    log.accept("The scheme of " + kind + " url " + url + " is HTTP while peer key/cert files are "
                            + "presented. Ignored " + (kind.equals("peer") ? "peer " : "") + "key/cert files.");
                }
                if (port.clientCertAuth()) {
                    log.accept("The scheme of " + kind + " url " + url + " is HTTP while client cert auth ("
                            + certAuthFlag + ") is enabled. Ignored client cert auth for this url.");
                }
            }
            return Optional.empty();
        }
        return port.load(log);
    }

    /** The client port's TLS as the flags resolve it; with {@code --auto-tls} the certificate is written now. */
    private static PortTls clientPortTls(NodeConfig config, Consumer<String> log) {
        return AutoTls.resolve(AutoTls.Port.CLIENT, config.tls().client().files("--"), config.tls().client().autoTls(),
                config.dataDir(), config.listenClientUrls(), config.tls().selfSignedCertValidityYears(), log);
    }

    /**
     * The peer port's TLS as the flags resolve it: {@code --peer-cert-file ...}, or with {@code --peer-auto-tls}
     * the self-signed certificate in {@code <data-dir>/fixtures/peer} (written now if absent), whose context
     * accepts any peer chain, as etcd's.
     */
    static PortTls peerPortTls(NodeConfig config, Consumer<String> log) {
        return AutoTls.resolve(AutoTls.Port.PEER, config.tls().peer().files("--peer-"), config.tls().peer().autoTls(),
                config.dataDir(), config.listenPeerUrls(), config.tls().selfSignedCertValidityYears(), log);
    }

    /**
     * What the transport does TLS with: a context from the reloading material, a new one after each reload (so
     * a replaced peer certificate is used from the next connection on), {@code --peer-client-cert-auth} and
     * {@code --cipher-suites}.
     */
    private static PeerTls peerSettings(NodeConfig config, PortTls port, ReloadingTls material) {
        return new PeerTls(material::currentContext, port.clientCertAuth(),
                config.tls().cipherSuites());
    }

    /** Binds the peer port and starts dialling the peers (over TLS when {@code tls} is set). */
    private static TcpTransport openTransport(NodeConfig config, PeerTls tls) {
        long id = config.memberId();
        InetSocketAddress peerListen = Urls.parse(config.listenPeerUrls().get(0), "--listen-peer-urls");
        return new TcpTransport(id, config.peerAddresses(), peerListen, config.clusterToken(),
                MemberDirectory.encodeInfo(config), MAX_PEER_FRAME_BYTES, PEER_QUEUE_BYTES,
                line -> LOG.info("member={} {}", MemberIds.hex(id), line), tls);
    }

    /** @return one poller for the ports' TLS files, or null when neither port has TLS */
    private static TlsReloader reloader(Optional<ReloadingTls> client, Optional<ReloadingTls> peer) {
        List<ReloadingTls> materials = new ArrayList<>();
        client.ifPresent(materials::add);
        peer.ifPresent(materials::add);
        return materials.isEmpty() ? null : new TlsReloader(materials, TLS_RELOAD_POLL_MILLIS);
    }

    /**
     * The replica names WAL segments by sequence number (it knows no files); an operator needs the file to
     * inspect or restore, so each "WAL segment N" / "segment N" gets the file's path after it.
     */
    static String withSegmentFiles(String recoveryText, FileDisk disk) {
        Matcher m = SEGMENT_MENTION.matcher(recoveryText);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            long sequence = Long.parseLong(m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(
                    m.group() + " (file " + disk.segmentFile(sequence).toAbsolutePath() + ")"));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void watchForSelfStop(NodeAgent agent) {
        Thread t = new Thread(() -> {
            while (!closing.get() && !agent.stopped()) {
                try {
                    if (stopped.await(100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (agent.stopped()) {
                failure = agent.removed() ? NodeAgent.REMOVED
                        : "the member stopped (the replica halted); see the log above";
                close();
            }
        }, "keel-watch-" + config.name());
        t.setDaemon(true);
        t.start();
    }

    private void agentFailed(Throwable t) {
        LOG.error("member={} kernel thread failed; the member stops to protect its data", MemberIds.hex(memberId()), t);
        failure = "kernel thread failed: " + t;
        Thread closer = new Thread(this::close, "keel-stop-" + config.name());
        closer.setDaemon(true);
        closer.start();
    }

    private void logStartup() {
        LOG.info("member={} name={} cluster={} state={} client-urls={} peer-urls={} data-dir={} peers={}",
                MemberIds.hex(memberId()), config.name(), MemberIds.hex(config.clusterId()), config.newCluster() ? "new" : "existing",
                clientEndpoints(), config.initialAdvertisePeerUrls(), config.dataDir().toAbsolutePath(),
                config.initialCluster());
    }

    /** @return this member's watch figures (thread-safe), for metrics */
    public WatchStats watchStats() {
        return watchStats;
    }

    /** @return this member's ID */
    public long memberId() {
        return config.memberId();
    }

    /** @return the cluster's ID */
    public long clusterId() {
        return config.clusterId();
    }

    /** @return the configuration it runs with */
    public NodeConfig config() {
        return config;
    }

    /** @return what this member's Lease service has answered (for metrics) */
    public LeaseStats leaseStats() {
        return clients.leaseStats();
    }

    /** @return the client endpoints bound, as {@code host:port} (what etcdctl's {@code --endpoints} takes) */
    public List<String> clientEndpoints() {
        List<String> out = new ArrayList<>();
        for (InetSocketAddress a : clients.boundAddresses()) {
            out.add(a.getHostString() + ":" + a.getPort());
        }
        return out;
    }

    /** @return this member's peer transport counters (connections, refusals, failed TLS handshakes ...) */
    public TcpTransportStats peerStats() {
        return transport.stats();
    }

    /**
     * @return the certificate the peer port presents now (the one reloaded last), empty when the peer URLs are
     *     http
     */
    public Optional<X509Certificate> peerCertificate() {
        return peerTls == null ? Optional.empty() : Optional.of(peerTls.leaf());
    }

    /** @return the peer address bound */
    public InetSocketAddress peerAddress() {
        return transport.localAddress();
    }

    /**
     * Waits until the member stops (closed, removed from the cluster, or failed).
     *
     * @return null after a normal stop, or why it failed
     */
    public String awaitStop() throws InterruptedException {
        stopped.await();
        return failure;
    }

    /** @return why the member failed, or null */
    public String failure() {
        return failure;
    }

    /** Stops the member: client port, kernel thread, peer connections, files. Idempotent. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (tlsReloader != null) {
            closeQuietly(tlsReloader);
        }
        closeQuietly(clients);
        closeQuietly(runner);
        closeQuietly(transport);
        closeQuietly(disk);
        LOG.info("member={} stopped", MemberIds.hex(memberId()));
        stopped.countDown();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("while stopping: {}", e.toString());
        }
    }

}
