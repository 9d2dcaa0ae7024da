package dev.keel.benchmarks.load;

import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@code lease-keepalive} workload: one lease per client (granted with a 60 s TTL, revoked at the end), each
 * client on its own {@code LeaseKeepAlive} stream; a request is one keepalive, answered when its response with
 * the renewed TTL arrives.
 */
final class LeaseLoad implements AutoCloseable {
    private static final long TTL_SECONDS = 60;

    private final Connections connections;
    private final long[] leases;
    private final StreamObserver<LeaseKeepAliveRequest>[] streams;
    private final AtomicReferenceArray<Operation.Completion> pending;
    private final AtomicReferenceArray<Throwable> broken;

    @SuppressWarnings("unchecked")
    LeaseLoad(Connections connections, int clients) {
        this.connections = connections;
        this.leases = new long[clients];
        this.streams = new StreamObserver[clients];
        this.pending = new AtomicReferenceArray<>(clients);
        this.broken = new AtomicReferenceArray<>(clients);
        for (int i = 0; i < clients; i++) {
            leases[i] = connections.leaseBlocking(i).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(TTL_SECONDS)
                    .build()).getID();
            streams[i] = connections.lease(i).leaseKeepAlive(new Responses(i));
        }
    }

    /** @return one keepalive of the client's lease on its stream */
    Operation keepAlive() {
        return (slot, seq, intended, done) -> {
            Throwable failed = broken.get(slot);
            if (failed != null) {
                done.failed(failed);
                return;
            }
            pending.set(slot, done);
            streams[slot].onNext(LeaseKeepAliveRequest.newBuilder().setID(leases[slot]).build());
        };
    }

    @Override
    public void close() {
        for (int i = 0; i < streams.length; i++) {
            try {
                streams[i].onCompleted();
                connections.leaseBlocking(i).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(leases[i]).build());
            } catch (RuntimeException e) {
                // the lease expires by itself within its TTL
            }
        }
    }

    /** One stream's responses: each completes the client's keepalive in flight. */
    private final class Responses implements StreamObserver<LeaseKeepAliveResponse> {
        private final int slot;

        Responses(int slot) {
            this.slot = slot;
        }

        @Override
        public void onNext(LeaseKeepAliveResponse r) {
            Operation.Completion done = pending.getAndSet(slot, null);
            if (done == null) {
                return;
            }
            if (r.getTTL() <= 0) {
                done.failed(Status.NOT_FOUND.withDescription("lease " + r.getID() + " not found").asRuntimeException());
            } else {
                done.succeeded();
            }
        }

        @Override
        public void onError(Throwable t) {
            broken.set(slot, t);
            Operation.Completion done = pending.getAndSet(slot, null);
            if (done != null) {
                done.failed(t);
            }
        }

        @Override
        public void onCompleted() {
            onError(Status.UNAVAILABLE.withDescription("keepalive stream ended by the server").asRuntimeException());
        }
    }
}
