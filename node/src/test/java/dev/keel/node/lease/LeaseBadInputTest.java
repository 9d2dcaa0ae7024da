package dev.keel.node.lease;

import dev.keel.node.compat.ComparedClusters;
import dev.keel.node.compat.EtcdTools;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.etcd.jetcd.api.PutRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Odd and wrong lease requests get from Keel what etcd 3.4 answers, over plain gRPC (what clients may send that
 * etcdctl and jetcd never do: chosen, duplicate, zero and negative IDs, negative and too large TTLs, unknown
 * leases on every call), and the member keeps serving. One member of each.
 */
class LeaseBadInputTest {
    private static ComparedClusters clusters;

    @BeforeAll
    static void start() {
        EtcdTools.requireEtcd();
        clusters = ComparedClusters.start(1, UnaryOperator.identity(), List.of());
    }

    @AfterAll
    static void stop() {
        if (clusters != null) {
            clusters.close();
        }
    }

    @Test
    void badLeaseRequestsGetEtcdsAnswers() throws Exception {
        List<String> etcd = session(clusters.etcdFacts.endpoint("m1"));
        List<String> keel = session(clusters.keelFacts.endpoint("m1"));
        assertTrue(etcd.size() > 20, "the session ran");
        assertEquals(String.join("\n", etcd), String.join("\n", keel));
    }

    private static List<String> session(String endpoint) throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
        try {
            LeaseGrpc.LeaseBlockingStub lease = LeaseGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(60, TimeUnit.SECONDS);
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
            List<String> out = new ArrayList<>();
            out.add("grant too large: " + grant(lease, 9_000_000_001L, 0));
            out.add("grant at the limit, id 77: " + grant(lease, 9_000_000_000L, 77));
            out.add("grant id 77 again: " + grant(lease, 30, 77));
            out.add("grant id -5: " + grant(lease, 30, -5));
            out.add("grant negative ttl, id 78: " + grant(lease, -10, 78));
            out.add("grant ttl 0, id 79: " + grant(lease, 0, 79));
            out.add("grant ttl 1, id 80: " + grant(lease, 1, 80));
            out.add("grant too large, id 81: " + grant(lease, Long.MAX_VALUE, 81));
            for (long id : new long[]{78, 79, 80}) { // revoked at once: whether they expire first is timing
                out.add("revoke " + id + ": " + call(() -> lease.leaseRevoke(
                        LeaseRevokeRequest.newBuilder().setID(id).build()).getHeader().getRevision()));
            }
            out.add("put on lease -6: " + call(() -> kv.put(put("k", -6)).getHeader().getRevision()));
            out.add("put on lease -5: " + call(() -> kv.put(put("k", -5)).getHeader().getRevision()));
            out.add("put on lease 77: " + call(() -> kv.put(put("k77", 77)).getHeader().getRevision()));
            for (long id : new long[]{77, -5, -6, 0, 12345}) {
                out.add("timetolive " + id + ": " + call(() -> ttl(lease.leaseTimeToLive(
                        LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(true).build()))));
            }
            out.add("keepalives: " + keepAlives(LeaseGrpc.newStub(channel), 77, -6, 0, 12345, -5));
            long[] leases = LeaseClusters.leases(endpoint);
            Arrays.sort(leases); // etcd lists them by expiry, Keel by ID
            out.add("leases: " + Arrays.toString(leases));
            for (long id : new long[]{-6, 0, 12345, -5, 77, 77}) {
                out.add("revoke " + id + ": " + call(() -> lease.leaseRevoke(
                        LeaseRevokeRequest.newBuilder().setID(id).build()).getHeader().getRevision()));
            }
            out.add("keys after revoking 77 and -5: " + call(() -> kv.range(io.etcd.jetcd.api.RangeRequest
                    .newBuilder().setKey(com.google.protobuf.ByteString.copyFromUtf8("k")).build()).getCount()));
            out.add("still serving: " + call(() -> kv.put(put("after", 0)).getHeader().getRevision()));
            return out;
        } finally {
            channel.shutdownNow();
        }
    }

    private static PutRequest put(String key, long lease) {
        return PutRequest.newBuilder().setKey(com.google.protobuf.ByteString.copyFromUtf8(key))
                .setValue(com.google.protobuf.ByteString.copyFromUtf8("v")).setLease(lease).build();
    }

    private static String grant(LeaseGrpc.LeaseBlockingStub lease, long ttl, long id) {
        return call(() -> {
            LeaseGrantResponse r = lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).setID(id).build());
            // a server-chosen ID differs between etcd and Keel; only whether one was chosen is compared
            return "ID=" + (id == 0 ? (r.getID() > 0 ? "chosen" : r.getID()) : r.getID()) + " TTL=" + r.getTTL()
                    + " error='" + r.getError() + "' revision=" + r.getHeader().getRevision();
        });
    }

    private static String ttl(LeaseTimeToLiveResponse r) {
        String remaining = r.getTTL() > 0 ? "positive" : Long.toString(r.getTTL()); // timing decides the value
        return "ID=" + r.getID() + " TTL=" + remaining + " granted="
                + r.getGrantedTTL() + " keys=" + r.getKeysList().stream().map(k -> k.toStringUtf8()).toList();
    }

    /** Sends the keepalives on one stream and renders the answers, in order, then how the stream ended. */
    private static String keepAlives(LeaseGrpc.LeaseStub stub, long... ids) throws Exception {
        List<String> answers = new ArrayList<>();
        CompletableFuture<String> end = new CompletableFuture<>();
        AtomicInteger seen = new AtomicInteger();
        StreamObserver<LeaseKeepAliveRequest> requests = stub.leaseKeepAlive(new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                synchronized (answers) {
                    answers.add(r.getID() + ":" + r.getTTL());
                }
                seen.incrementAndGet();
            }

            @Override
            public void onError(Throwable t) {
                end.complete("error " + io.grpc.Status.fromThrowable(t).getCode() + ": "
                        + io.grpc.Status.fromThrowable(t).getDescription());
            }

            @Override
            public void onCompleted() {
                end.complete("completed");
            }
        });
        for (long id : ids) {
            requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
        }
        requests.onCompleted();
        String how = end.get(60, TimeUnit.SECONDS);
        synchronized (answers) {
            return answers + " then " + how;
        }
    }

    private interface Call {
        Object run();
    }

    private static String call(Call c) {
        try {
            return "OK " + c.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() + ": " + e.getStatus().getDescription();
        }
    }
}
