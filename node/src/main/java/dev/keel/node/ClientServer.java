package dev.keel.node;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.keel.node.api.ClusterService;
import dev.keel.node.api.EtcdGrpcErrors;
import dev.keel.node.api.KvService;
import dev.keel.node.api.MaintenanceService;
import dev.keel.node.api.UnknownGrpcMethods;
import dev.keel.node.api.concurrency.ConcurrencyServices;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The client port: etcd's gRPC services served by Armeria, which (unlike grpc-java's own server) can also serve
 * the HTTP+JSON gateway on the same port, as etcd does.
 */
final class ClientServer implements AutoCloseable {
    static final int GRPC_OVERHEAD_BYTES = dev.keel.node.config.NodeConfig.GRPC_OVERHEAD_BYTES;
    private final Server server;
    private final ConcurrencyServices concurrency = new ConcurrencyServices(this::selfUrl);

    ClientServer(List<InetSocketAddress> listen, RequestGate gate, int maxRequestBytes, int maxTxnOps, long memberId) {
        GrpcService grpc = GrpcService.builder()
                .addService(new KvService(gate, maxRequestBytes, maxTxnOps, memberId))
                .addService(new MaintenanceService(gate))
                .addService(new ClusterService(gate))
                .addService(concurrency.lock())
                .addService(concurrency.election())
                .maxRequestMessageLength(maxRequestBytes + GRPC_OVERHEAD_BYTES)
                .maxResponseMessageLength(Integer.MAX_VALUE)
                .exceptionHandler(new EtcdGrpcErrors())
                .build();
        ServerBuilder b = Server.builder();
        for (InetSocketAddress a : listen) {
            b.http(a);
        }
        // Each server its own registry: several members in one JVM (KeelCluster) must not share meters.
        // Calls no service takes get grpc-go's UNIMPLEMENTED answer rather than a bare 404.
        b.serviceUnder("/", new UnknownGrpcMethods(java.util.Set.of("etcdserverpb.KV", "etcdserverpb.Maintenance",
                "etcdserverpb.Cluster", "v3lockpb.Lock", "v3electionpb.Election")));
        this.server = b.service(grpc).meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                // No HTTP-level cap: the gRPC deframer refuses a message over the limit from its length prefix,
                // with grpc-go's status, as etcd does; an HTTP cap would answer a bare 413 (UNKNOWN to clients).
                .maxRequestLength(0)
                .requestTimeoutMillis(0)
                // Stopping: no quiet period (nothing new is accepted anyway), at most 1 s for calls in flight.
                .gracefulShutdownTimeoutMillis(0, 1000)
                .build();
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

    /** @return a client URL of this member's own port (loopback), for the services that call the member itself */
    private String selfUrl() {
        InetSocketAddress a = boundAddresses().get(0);
        String host = a.getAddress() == null || a.getAddress().isAnyLocalAddress() ? "127.0.0.1"
                : a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /**
     * Stops serving and returns once the ports are released. The rest of Armeria's stop (its acceptor threads'
     * 2 s quiet period) finishes in the background: waiting for it made every member stop take 2.5 s.
     */
    @Override
    public void close() {
        concurrency.close();
        java.util.concurrent.CompletableFuture<Void> stopping = server.stop();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!stopping.isDone() && !server.activePorts().isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }
}
