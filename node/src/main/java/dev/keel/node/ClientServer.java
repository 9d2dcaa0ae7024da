package dev.keel.node;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import dev.keel.node.api.ClusterService;
import dev.keel.node.api.EtcdGrpcErrors;
import dev.keel.node.api.KvService;
import dev.keel.node.api.LeaderClients;
import dev.keel.node.api.LeaseService;
import dev.keel.node.api.MaintenanceService;
import dev.keel.node.api.UnknownGrpcMethods;
import dev.keel.node.api.WatchService;
import dev.keel.node.api.concurrency.ConcurrencyServices;
import dev.keel.node.auth.AdminOnlyMethods;
import dev.keel.node.auth.AuthInterceptor;
import dev.keel.node.auth.NodeAuth;
import dev.keel.node.config.NodeConfig;
import dev.keel.node.gateway.HealthService;
import dev.keel.node.gateway.JsonGateway;
import dev.keel.node.gateway.StaticEndpoints;
import dev.keel.node.gateway.UnaryInvoker;
import dev.keel.node.metrics.NodeMetrics;
import dev.keel.node.tls.ReloadingTls;
import dev.keel.node.tls.ServerTls;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The client port: etcd's gRPC services served by Armeria, which (unlike grpc-java's own server) also serves the
 * HTTP+JSON gateway ({@code /v3/...}), {@code /health}, {@code /version} and {@code /metrics} on the same port, as
 * etcd does.
 */
final class ClientServer implements AutoCloseable {
    static final int GRPC_OVERHEAD_BYTES = NodeConfig.GRPC_OVERHEAD_BYTES;
    private final Server server;
    /** "https" when the port serves TLS, else "http": the scheme of this member's own client URL. */
    private final String scheme;
    /** Stubs to the leader for what only it serves (lease keepalive and time-to-live), kept for the member's life. */
    private final LeaderClients leaderClients;
    private final LeaseStats leaseStats;
    private final ClusterService cluster;
    private final WatchService watch;
    /** The bcrypt pool and token table: closed with the port. */
    private final NodeAuth auth;
    /** v3lock and v3election: facades over the recipes, calling this member's own KV and Watch. */
    private final ConcurrencyServices concurrency;

    ClientServer(List<InetSocketAddress> listen, RequestGate gate, int maxRequestBytes, int maxTxnOps, long memberId,
                 NodeMetrics metrics, WatchSettings watchSettings, WatchStats watchStats, String memberName,
                 NodeAuth auth) {
        this(listen, gate, maxRequestBytes, maxTxnOps, memberId, metrics, watchSettings, watchStats, memberName,
                auth, Optional.empty(), List.of(),
                NodeConfig.DEFAULT_MAX_CONCURRENT_STREAMS);
    }

    /**
     * @param tls the client port's certificate, key and CA ({@code --cert-file} etc.); empty serves plain http
     * @param cipherSuites {@code --cipher-suites}; empty keeps the JDK's defaults
     * @param maxConcurrentStreams {@code --max-concurrent-streams}: streams one connection may have open at once
     */
    ClientServer(List<InetSocketAddress> listen, RequestGate gate, int maxRequestBytes, int maxTxnOps, long memberId,
                 NodeMetrics metrics, WatchSettings watchSettings, WatchStats watchStats, String memberName,
                 NodeAuth auth, Optional<ReloadingTls> tls, List<String> cipherSuites,
                 long maxConcurrentStreams) {
        this.auth = auth;
        this.scheme = tls.isPresent() ? "https" : "http";
        this.leaderClients = new LeaderClients(tls);
        this.concurrency = new ConcurrencyServices(this::selfUrl, tls);
        this.leaseStats = new LeaseStats(gate);
        // etcd splits watch responses at --max-request-bytes plus gRPC's overhead allowance, as it limits requests.
        this.watch = new WatchService(gate, watchSettings, maxRequestBytes + GRPC_OVERHEAD_BYTES, watchStats,
                memberName);
        this.cluster = new ClusterService(gate, tls);
        metrics.watchGauges(watchStats);
        metrics.leaseGauges(leaseStats);
        KvService kv = new KvService(gate, maxRequestBytes, maxTxnOps, memberId);
        // Every service once, counted by the gRPC metrics; the same definitions serve gRPC and the JSON gateway.
        List<ServerServiceDefinition> services = List.of(kv.bindService(),
                new MaintenanceService(gate, memberId).bindService(), cluster.definition(),
                new LeaseService(gate, leaderClients, leaseStats).definition(), watch.bindService(),
                concurrency.lock().bindService(), concurrency.election().bindService(),
                auth.service(gate).bindService());
        List<ServerServiceDefinition> served = new ArrayList<>();
        AuthInterceptor callers = auth.interceptor();
        AdminOnlyMethods admins = auth.adminOnly(gate);
        for (ServerServiceDefinition s : services) {
            // intercept() runs the last interceptor first: the caller is known before the admin check and
            // before metrics count the call.
            served.add(ServerInterceptors.intercept(s, metrics.grpc(), admins, callers));
        }
        int maxMessageBytes = maxRequestBytes + GRPC_OVERHEAD_BYTES;
        GrpcServiceBuilder grpc = GrpcService.builder()
                .maxRequestMessageLength(maxMessageBytes)
                .maxResponseMessageLength(Integer.MAX_VALUE)
                .exceptionHandler(new EtcdGrpcErrors());
        Set<String> names = new HashSet<>();
        for (ServerServiceDefinition d : served) {
            grpc.addService(d);
            names.add(d.getServiceDescriptor().getName());
        }
        ServerBuilder b = Server.builder();
        for (InetSocketAddress a : listen) {
            if (tls.isPresent()) {
                b.https(a);
            } else {
                b.http(a);
            }
        }
        tls.ifPresent(material -> ServerTls.apply(b, material, cipherSuites));
        JsonGateway gateway = new JsonGateway(served, maxMessageBytes);
        for (String prefix : JsonGateway.prefixes()) {
            b.serviceUnder(prefix, gateway);
        }
        b.service("/health", new HealthService(metrics, healthRead(kv)));
        b.service("/version", StaticEndpoints.version());
        b.service("/metrics", StaticEndpoints.metrics(metrics));
        // Calls no service takes get grpc-go's UNIMPLEMENTED answer rather than a bare 404.
        b.serviceUnder("/", new UnknownGrpcMethods(names));
        // Each server its own registry: several members in one JVM (KeelCluster) must not share meters.
        this.server = b.service(grpc.build())
                .meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                // No HTTP-level cap: the gRPC deframer refuses a message over the limit from its length prefix,
                // with grpc-go's status, as etcd does; an HTTP cap would answer a bare 413 (UNKNOWN to clients).
                // The JSON gateway sets its own cap per request.
                .maxRequestLength(0)
                .requestTimeoutMillis(0)
                // Bounds on what one HTTP/2 connection may hold (docs/security.md, "Hostile input"). etcd 3.4
                // leaves --max-concurrent-streams at math.MaxUint32 and relies on grpc-go's flow control; Keel
                // defaults it to 1,000 (NodeConfig.DEFAULT_MAX_CONCURRENT_STREAMS); here
                // requests are held to the 1 MiB windows (a client that never reads or acknowledges stalls
                // itself, not the server), the stream count caps how many such stalled calls one connection
                // keeps, and frames and headers stay at HTTP/2's defaults (16 KiB, 8 KiB: a JWT fits).
                .http2MaxStreamsPerConnection(maxConcurrentStreams)
                .http2InitialConnectionWindowSize(1 << 20)
                .http2InitialStreamWindowSize(1 << 20)
                .http2MaxFrameSize(16_384)
                .http2MaxHeaderListSize(8_192)
                // Stopping: no quiet period (nothing new is accepted anyway), at most 1 s for calls in flight.
                .gracefulShutdownTimeoutMillis(0, 1000)
                .build();
    }

    /** @return what the Lease service has answered (for metrics) */
    LeaseStats leaseStats() {
        return leaseStats;
    }

    /** /health's linearizable read: a Range straight to the KV service, not counted as a client's call. */
    @SuppressWarnings("unchecked")
    private static Supplier<CompletableFuture<?>> healthRead(KvService kv) {
        var range = (ServerMethodDefinition<RangeRequest, RangeResponse>) kv.bindService()
                .getMethod("etcdserverpb.KV/Range");
        RangeRequest probe = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("health")).build();
        return () -> UnaryInvoker.call(range, probe);
    }

    /** @return a client URL of this member's own port (loopback), for the services that call the member itself */
    private String selfUrl() {
        InetSocketAddress a = boundAddresses().get(0);
        String host = a.getAddress() == null || a.getAddress().isAnyLocalAddress() ? "127.0.0.1"
                : a.getAddress().getHostAddress();
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    void start() {
        server.start().join();
    }

    /** @return the addresses actually bound (ports resolved when 0 was asked for) */
    List<InetSocketAddress> boundAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (ServerPort p : server.activePorts().values()) {
            out.add(p.localAddress());
        }
        return out;
    }

    /**
     * Stops serving and returns once the ports are released. The rest of Armeria's stop (its acceptor threads'
     * 2 s quiet period) finishes in the background: waiting for it made every member stop take 2.5 s.
     */
    @Override
    public void close() {
        cluster.close();
        watch.close();
        concurrency.close();
        auth.close();
        java.util.concurrent.CompletableFuture<Void> stopping = server.stop();
        leaderClients.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!stopping.isDone() && !server.activePorts().isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }
}
