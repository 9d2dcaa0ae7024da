package dev.keel.node.api;

import com.google.protobuf.Empty;
import dev.keel.node.KernelContext;
import dev.keel.node.LeaseStats;
import dev.keel.node.RequestGate;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import org.agrona.ExpandableArrayBuffer;

/**
 * etcd's {@code Lease} service. Grant and revoke are writes through the log (the kernel decides: TTL raised to
 * the minimum, "too large lease TTL", "lease already exists", "requested lease not found"; a revoke deletes the
 * attached keys in one revision). Keepalive ({@link KeepAliveStream}) and time-to-live ({@link TimeToLiveCall})
 * are served by the leader, whose replica decides expiry; a follower forwards them to it. LeaseLeases, missing
 * from jetcd-grpc's proto ({@link LeaseLeasesMethod}), lists this member's leases, as etcd 3.4 does.
 */
public final class LeaseService extends LeaseGrpc.LeaseImplBase {
    private final RequestGate gate;
    private final LeaderClients leaders;
    private final LeaseStats stats;
    private final ThreadLocal<ExpandableArrayBuffer> buffers =
            ThreadLocal.withInitial(() -> new ExpandableArrayBuffer(64));
    /** Used only inside kernel tasks, which all run on the kernel thread, one at a time. */
    private final ExpandableArrayBuffer kernelScratch = new ExpandableArrayBuffer(4096);

    /**
     * @param leaders stubs to the leader, for forwarding keepalives and time-to-live from a follower
     * @param stats   counts what this service answers
     */
    public LeaseService(RequestGate gate, LeaderClients leaders, LeaseStats stats) {
        this.gate = gate;
        this.leaders = leaders;
        this.stats = stats;
    }

    /** @return etcd's full {@code etcdserverpb.Lease} service: the generated methods and LeaseLeases */
    public ServerServiceDefinition definition() {
        return ExtraMethods.withUnary(bindService(), LeaseLeasesMethod.METHOD, this::leaseLeases);
    }

    @Override
    public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> out) {
        ExpandableArrayBuffer buffer = buffers.get();
        int length = LeaseCodec.encodeGrant(request, buffer);
        gate.submit(RequestGate.WRITE, buffer, 0, length, new GrpcReply<>(out, (bytes, facts) -> {
            LeaseGrantResponse response = LeaseCodec.decodeGrant(bytes, facts);
            stats.onGranted();
            return response;
        }));
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> out) {
        ExpandableArrayBuffer buffer = buffers.get();
        int length = LeaseCodec.encodeRevoke(request, buffer);
        gate.submit(RequestGate.WRITE, buffer, 0, length, new GrpcReply<>(out, (bytes, facts) -> {
            LeaseRevokeResponse response = LeaseCodec.decodeRevoke(bytes, facts);
            stats.onRevoked();
            return response;
        }));
    }

    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> out) {
        return new KeepAliveStream(gate, leaders, stats, out);
    }

    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest request, StreamObserver<LeaseTimeToLiveResponse> out) {
        new TimeToLiveCall(gate, leaders, request, out, this::timeToLiveOnKernel).start();
    }

    /** Kernel thread only: the kernel's TimeToLive answer, copied out of the shared scratch buffer. */
    private byte[] timeToLiveOnKernel(KernelContext kernel, LeaseTimeToLiveRequest request) {
        int n = kernel.replica().mvcc().timeToLive(request.getID(), request.getKeys(), kernelScratch);
        byte[] copy = new byte[n];
        kernelScratch.getBytes(0, copy);
        return copy;
    }

    /** etcd 3.4's LeaseLeases: the leases this member's store holds, whether or not it leads. */
    void leaseLeases(Empty request, StreamObserver<LeaseRevokeResponse> out) {
        GrpcReply<LeaseRevokeResponse> reply = new GrpcReply<>(out, (bytes, facts) -> {
            LeaseCodec.LeaseList list = LeaseCodec.decodeLeases(bytes);
            stats.onLeaseCount(list.ids().length);
            return LeaseLeasesMethod.response(LeaseCodec.header(facts, list.revision()), list.ids());
        });
        boolean queued = gate.run(kernel -> {
            int n = kernel.replica().mvcc().leases(kernelScratch);
            byte[] copy = new byte[n];
            kernelScratch.getBytes(0, copy);
            reply.succeeded(copy, kernel.facts());
        });
        if (!queued) {
            reply.failed(RequestGate.TOO_MANY_REQUESTS);
        }
    }
}
