package dev.keel.node;

import dev.keel.node.config.InitialCluster;
import dev.keel.node.config.NodeConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * N Keel members in the calling JVM, on free loopback ports, with data under a temporary folder — for Java users'
 * own tests (what etcd's {@code embed} package and jetcd's launcher give). Closing it stops every member and
 * deletes the folder.
 *
 * <pre>{@code
 * try (KeelCluster cluster = KeelCluster.builder().members(3).start()) {
 *     Client client = Client.builder().endpoints(cluster.endpointUris()).build();
 *     ...
 * }
 * }</pre>
 */
public final class KeelCluster implements AutoCloseable {
    private final Path root;
    private final boolean ownsRoot;
    private final NodeConfig[] configs;
    private final WatchSettings watch;
    private final KeelNode[] nodes;
    /** Each member's token provider, made at each start (null: etcd's default simple tokens). */
    private final java.util.function.Supplier<dev.keel.node.auth.AuthTokens> tokens;

    private KeelCluster(Path root, boolean ownsRoot, NodeConfig[] configs, WatchSettings watch,
                        java.util.function.Supplier<dev.keel.node.auth.AuthTokens> tokens) {
        this.watch = watch;
        this.tokens = tokens;
        this.root = root;
        this.ownsRoot = ownsRoot;
        this.configs = configs;
        this.nodes = new KeelNode[configs.length];
    }

    /** @return a builder: 1 member by default, etcd's defaults otherwise */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a cluster. */
    public static final class Builder {
        /** Starts tried when a probed free port was taken before the member bound it. */
        private static final int PORT_TRIES = 3;

        private int members = 1;
        private Path dataRoot;
        private String token = "keel-embedded";
        private UnaryOperator<NodeConfig> tweak = UnaryOperator.identity();
        private WatchSettings watch = WatchSettings.DEFAULTS;
        private java.util.function.Supplier<dev.keel.node.auth.AuthTokens> tokens;

        /** The token provider of each member ({@code --auth-token}), one per member start; tests inject clocks. */
        public Builder tokens(java.util.function.Supplier<dev.keel.node.auth.AuthTokens> perMember) {
            this.tokens = perMember;
            return this;
        }

        /** Members to start (1 to 7). */
        public Builder members(int n) {
            if (n < 1 || n > 7) {
                throw new IllegalArgumentException("members must be between 1 and 7: " + n);
            }
            this.members = n;
            return this;
        }

        /** Keeps data under {@code dir} (kept on close) instead of a temporary folder (deleted on close). */
        public Builder dataRoot(Path dir) {
            this.dataRoot = dir;
            return this;
        }

        /** The cluster token ({@code --initial-cluster-token}). */
        public Builder clusterToken(String t) {
            this.token = t;
            return this;
        }

        /** Changes each member's configuration before start (timeouts, limits, snapshot count...). */
        public Builder configure(UnaryOperator<NodeConfig> change) {
            this.tweak = change;
            return this;
        }

        /** How the members serve watches (buffer per stream, progress interval). */
        public Builder watch(WatchSettings settings) {
            this.watch = settings;
            return this;
        }

        /**
         * Starts every member; they elect a leader on their own (see {@link KeelCluster#awaitLeader}). With a
         * temporary data root, a port that another process took between {@link #freePorts} and the bind is
         * retried on fresh ports and a fresh root (at most {@value #PORT_TRIES} tries); a given data root may
         * hold data, so nothing is retried on it.
         */
        public KeelCluster start() {
            for (int attempt = 1; ; attempt++) {
                try {
                    return startOnce();
                } catch (NodeStartException e) {
                    if (dataRoot != null || attempt == PORT_TRIES || !portTaken(e)) {
                        throw e;
                    }
                }
            }
        }

        /** @return whether {@code e} comes from binding a port that is in use (JDK or Netty's native transport) */
        static boolean portTaken(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException
                        || String.valueOf(t.getMessage()).contains("Address already in use")) {
                    return true;
                }
            }
            return false;
        }

        private KeelCluster startOnce() {
            boolean owns = dataRoot == null;
            Path root;
            try {
                root = owns ? Files.createTempDirectory("keel-cluster-") : Files.createDirectories(dataRoot);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int[] clientPorts = freePorts(members);
            int[] peerPorts = freePorts(members);
            StringBuilder initial = new StringBuilder();
            for (int i = 0; i < members; i++) {
                initial.append(i == 0 ? "" : ",").append("m").append(i + 1).append("=http://127.0.0.1:")
                        .append(peerPorts[i]);
            }
            NodeConfig[] configs = new NodeConfig[members];
            for (int i = 0; i < members; i++) {
                String client = "http://127.0.0.1:" + clientPorts[i];
                String peer = "http://127.0.0.1:" + peerPorts[i];
                NodeConfig d = NodeConfig.defaults("m" + (i + 1));
                configs[i] = tweak.apply(new NodeConfig(d.name(), root.resolve(d.name() + ".keel"), List.of(client),
                        List.of(client), List.of(peer), List.of(peer), InitialCluster.parse(initial.toString()), true,
                        token, d.heartbeatMillis(), d.electionMillis(), d.snapshotCount(), d.autoCompactionMode(),
                        d.autoCompactionRetention(), d.quotaBackendBytes(), d.maxRequestBytes(), d.maxTxnOps()));
            }
            KeelCluster cluster = new KeelCluster(root, owns, configs, watch, tokens);
            try {
                for (int i = 0; i < members; i++) {
                    cluster.startMember(i);
                }
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }
    }

    /**
     * @return {@code n} distinct loopback ports that were free a moment ago (each probed by binding it; another
     *         process may still take one before it is used)
     */
    public static int[] freePorts(int n) {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a probe socket
                }
            }
        }
        return ports;
    }

    /** @return how many members the cluster was built with */
    public int size() {
        return nodes.length;
    }

    /** @return member {@code i} (0-based), or null while it is stopped */
    public KeelNode member(int i) {
        return nodes[i];
    }

    /** @return member {@code i}'s configuration */
    public NodeConfig config(int i) {
        return configs[i];
    }

    /** Starts member {@code i} again on its data directory (after {@link #stopMember}). */
    public void startMember(int i) {
        if (nodes[i] == null) {
            nodes[i] = tokens == null ? KeelNode.start(configs[i], watch)
                    : KeelNode.start(configs[i], watch, tokens.get(), raft -> { });
        }
    }

    /** Stops member {@code i}; its data directory stays. */
    public void stopMember(int i) {
        if (nodes[i] != null) {
            nodes[i].close();
            nodes[i] = null;
        }
    }

    /** @return the client endpoints of the running members, {@code host:port}, comma-separated */
    public String endpoints() {
        return String.join(",", endpointList());
    }

    /** @return the client endpoints of the running members as {@code http://host:port} URIs */
    public List<java.net.URI> endpointUris() {
        return endpointList().stream().map(e -> java.net.URI.create("http://" + e)).toList();
    }

    private List<String> endpointList() {
        List<String> out = new ArrayList<>();
        for (KeelNode n : nodes) {
            if (n != null) {
                out.addAll(n.clientEndpoints());
            }
        }
        return out;
    }

    /** @return the folder holding the members' data directories */
    public Path dataRoot() {
        return root;
    }

    /** Stops every member and, when the folder was temporary, deletes it. */
    @Override
    public void close() {
        for (int i = 0; i < nodes.length; i++) {
            stopMember(i);
        }
        if (ownsRoot) {
            deleteTree(root);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
