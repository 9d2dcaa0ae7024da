package dev.keel.node.lease;

import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jetcd 0.8.5's Lease client against a 3-member Keel cluster, connected to a follower only, so everything the
 * leader alone serves (keepalive, time-to-live) is forwarded: a lease kept alive outlives many TTLs while one
 * that is not expires and takes its keys with it; time-to-live with keys, LeaseLeases and revoke.
 */
class JetcdLeaseTest {
    private static final long TIMEOUT_SECONDS = 20;
    private static KeelCluster cluster;
    private static Client client;
    private static String followerEndpoint;
    private static int follower;

    @BeforeAll
    static void start() {
        cluster = KeelCluster.builder().members(3).start();
        int leader = LeaseClusters.awaitLeader(cluster, 30_000);
        follower = (leader + 1) % cluster.size();
        followerEndpoint = LeaseClusters.endpoint(cluster, follower);
        client = Client.builder().endpoints("http://" + followerEndpoint).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static long grant(Lease lease, long ttl) throws Exception {
        return lease.grant(ttl).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getID();
    }

    static void put(KV kv, String key, long lease) throws Exception {
        kv.put(bytes(key), bytes("v"), PutOption.builder().withLeaseId(lease).build())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    static long count(KV kv, String prefix) {
        try {
            return kv.get(bytes(prefix), GetOption.builder().isPrefix(true).build())
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getCount();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Collects what a keepalive observer is told. */
    static final class Observed implements StreamObserver<LeaseKeepAliveResponse> {
        final List<LeaseKeepAliveResponse> responses = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @Override
        public void onNext(LeaseKeepAliveResponse r) {
            responses.add(r);
        }

        @Override
        public void onError(Throwable t) {
            errors.add(t);
        }

        @Override
        public void onCompleted() {
        }
    }

    @Test
    void aKeptAliveLeaseOutlivesItsTtlWhileAnUnkeptOneExpiresWithItsKeys() throws Exception {
        Lease lease = client.getLeaseClient();
        KV kv = client.getKVClient();
        long kept = grant(lease, 2);
        long unkept = grant(lease, 2);
        put(kv, "kept/a", kept);
        put(kv, "unkept/a", unkept);
        put(kv, "unkept/b", unkept);
        Observed observed = new Observed();
        CloseableClient keepAlive = lease.keepAlive(kept, observed);
        try {
            Awaits.until("the unkept lease expired and its keys are gone", 30_000,
                    () -> count(kv, "unkept/") == 0);
            // jetcd renews every TTL/3: 9 answers span three TTLs at least.
            Awaits.until("nine keepalives were answered", 60_000, () -> observed.responses.size() >= 9);
            assertEquals(List.of(), observed.errors, "the keepalive stream through the follower never failed");
            assertTrue(observed.responses.stream().allMatch(r -> r.getID() == kept && r.getTTL() == 2),
                    "every answer renews the lease for its TTL: " + observed.responses);
            assertEquals(1, count(kv, "kept/"), "the kept lease's key is still there");
            assertEquals(-1, lease.timeToLive(unkept, LeaseOption.DEFAULT).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .getTTL(), "the expired lease is gone");
            assertFalse(LeaseClusters.lists(followerEndpoint, unkept), "the follower no longer lists it");
        } finally {
            keepAlive.close();
        }
        Awaits.until("once no longer kept alive, the lease expires and takes its key", 30_000,
                () -> count(kv, "kept/") == 0);
    }

    @Test
    void timeToLiveListsTheKeysAndRevokeDeletesThemInOneRevision() throws Exception {
        Lease lease = client.getLeaseClient();
        KV kv = client.getKVClient();
        long id = grant(lease, 30);
        put(kv, "ttl/b", id);
        put(kv, "ttl/a", id);
        put(kv, "ttl/c", 0);
        LeaseTimeToLiveResponse ttl = lease.timeToLive(id, LeaseOption.builder().withAttachedKeys().build())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(30, ttl.getGrantedTTL());
        assertTrue(ttl.getTTL() > 0 && ttl.getTTL() <= 30, "remaining " + ttl.getTTL());
        assertEquals(List.of(bytes("ttl/a"), bytes("ttl/b")), ttl.getKeys(), "attached keys in key order");
        assertTrue(LeaseClusters.lists(followerEndpoint, id), "LeaseLeases lists the lease");
        LeaseKeepAliveResponse once = lease.keepAliveOnce(id).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(30, once.getTTL());

        long before = kv.get(bytes("ttl/c")).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getHeader().getRevision();
        long revoked = lease.revoke(id).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getHeader().getRevision();
        assertEquals(before + 1, revoked, "both keys deleted in one revision");
        assertEquals(1, count(kv, "ttl/"), "only the key without a lease is left");
        assertEquals(-1, lease.timeToLive(id, LeaseOption.DEFAULT).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getTTL());
        assertFalse(LeaseClusters.lists(followerEndpoint, id));
    }

    /** @return how a jetcd call failed, as its gRPC code and etcd's text, or "OK" */
    static String outcome(java.util.concurrent.CompletableFuture<?> call) {
        try {
            call.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return "OK";
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof io.grpc.StatusRuntimeException x) {
                    return "error " + x.getStatus().getCode() + ": " + x.getStatus().getDescription();
                }
                if (t instanceof io.etcd.jetcd.common.exception.EtcdException x && t.getCause() == null) {
                    return "error " + x.getErrorCode() + ": " + x.getMessage();
                }
            }
            return "error " + e;
        }
    }

    @Test
    void unknownLeasesAndBadTtlsGetEtcdsErrorsThroughTheFollower() throws Exception {
        Lease lease = client.getLeaseClient();
        String notFound = "error NOT_FOUND: etcdserver: requested lease not found";
        assertEquals(notFound, outcome(lease.revoke(424242)));
        assertEquals(notFound, outcome(lease.revoke(-7)));
        assertEquals(notFound, outcome(lease.keepAliveOnce(424242)));
        assertEquals(notFound, outcome(lease.keepAliveOnce(-7)));
        assertEquals("error OUT_OF_RANGE: etcdserver: too large lease TTL", outcome(lease.grant(9_000_000_001L)));
        assertEquals(notFound, outcome(client.getKVClient().put(bytes("bad"), bytes("v"),
                PutOption.builder().withLeaseId(424242).build())));
        LeaseTimeToLiveResponse unknown = lease.timeToLive(-7, LeaseOption.builder().withAttachedKeys().build())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of(-7L, -1L, 0L), List.of(unknown.getID(), unknown.getTTL(), unknown.getGrantedTTL()));
        assertEquals(List.of(), unknown.getKeys());
        long id = grant(lease, 1);
        assertEquals(2, lease.timeToLive(id, LeaseOption.DEFAULT).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .getGrantedTTL(), "a TTL below the minimum is raised to it (1.5 election timeouts)");
        assertEquals("OK", outcome(lease.revoke(id)), "the member keeps serving");
    }

    @Test
    void theFollowersLeaseStatsCountWhatItAnswered() throws Exception {
        dev.keel.node.LeaseStats stats = cluster.member(follower).leaseStats();
        Lease lease = client.getLeaseClient();
        long granted = stats.granted();
        long revoked = stats.revoked();
        long keepAlives = stats.keepAlivesServed();
        long id = grant(lease, 30);
        lease.keepAliveOnce(id).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long listed = LeaseClusters.leases(followerEndpoint).length;
        assertEquals(listed, stats.leasesNow(), "a LeaseLeases call samples the count");
        lease.revoke(id).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(granted + 1, stats.granted());
        assertEquals(revoked + 1, stats.revoked());
        // jetcd's keepAliveOnce sends its request again as it ends the stream: one or two answers
        assertTrue(stats.keepAlivesServed() > keepAlives, "the forwarded keepalive counts where it was asked");
        Awaits.until("a sample sees the lease gone", 20_000, () -> stats.sample() && stats.leasesNow() == listed - 1);
    }
}
