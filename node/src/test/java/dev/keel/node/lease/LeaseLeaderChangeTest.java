package dev.keel.node.lease;

import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import dev.keel.node.process.EtcdStubs;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.support.CloseableClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.keel.node.lease.JetcdLeaseTest.count;
import static dev.keel.node.lease.JetcdLeaseTest.grant;
import static dev.keel.node.lease.JetcdLeaseTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leases across a leader change: jetcd keeps a lease alive through a follower; the leader is stopped; the new
 * leader restarts every lease at its remaining TTL plus an election timeout, so the kept-alive lease survives
 * (its keepalives reach the new leader: the follower's forwarded stream is opened again) and so does one
 * nobody renews whose remaining TTL was long, with their keys. With a quorum gone, the member left answers
 * keepalive and time-to-live with etcd's "no leader".
 */
class LeaseLeaderChangeTest {
    private static final long TIMEOUT_SECONDS = 20;
    private KeelCluster cluster;
    private Client client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void leasesSurviveTheLeadersDeath() throws Exception {
        cluster = KeelCluster.builder().members(3).start();
        int leader = LeaseClusters.awaitLeader(cluster, 30_000);
        int follower = (leader + 1) % cluster.size();
        client = Client.builder().endpoints("http://" + LeaseClusters.endpoint(cluster, follower)).build();
        Lease lease = client.getLeaseClient();
        KV kv = client.getKVClient();
        long kept = grant(lease, 3);
        long idle = grant(lease, 120);
        put(kv, "kept", kept);
        put(kv, "idle", idle);
        JetcdLeaseTest.Observed observed = new JetcdLeaseTest.Observed();
        CloseableClient keepAlive = lease.keepAlive(kept, observed);
        try {
            Awaits.until("the keepalive is answered", 30_000, () -> !observed.responses.isEmpty());
            cluster.stopMember(leader);
            int next = LeaseClusters.awaitLeader(cluster, 60_000);
            assertTrue(next != leader, "another member leads");
            int answered = observed.responses.size();
            // 3 s TTL, renewed every second: six more answers after the election span two TTLs.
            Awaits.until("keepalives are answered by the new leader", 60_000,
                    () -> observed.responses.size() >= answered + 6);
            assertTrue(observed.responses.stream().allMatch(r -> r.getID() == kept && r.getTTL() == 3),
                    "every answer renews the lease: " + observed.responses);
            assertEquals(1, count(kv, "kept"), "the kept lease's key survived");
            assertEquals(1, count(kv, "idle"), "the idle lease's key survived the election");
            long remaining = lease.timeToLive(idle, LeaseOption.DEFAULT).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .getTTL();
            assertTrue(remaining > 60 && remaining <= 120 + 2, "the idle lease keeps its remaining TTL: " + remaining);
            long keptRemaining = lease.timeToLive(kept, LeaseOption.DEFAULT).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .getTTL();
            assertTrue(keptRemaining > 0, "the kept lease is alive on the new leader: " + keptRemaining);
        } finally {
            keepAlive.close();
        }
        int other = 3 - leader - follower; // indexes 0, 1 and 2: the member neither stopped nor the client's
        cluster.stopMember(other);
        String alone = LeaseClusters.endpoint(cluster, follower);
        // If it led, it steps down once it has not heard from a quorum for an election timeout.
        Awaits.until("the member left alone knows no leader", 30_000, () -> EtcdStubs.status(alone)
                .map(s -> s.getLeader() == 0).orElse(false));
        // Alone, the member has no leader: after waiting for one as etcd's follower does, etcd's answer.
        CompletableFuture<String> ttl = CompletableFuture.supplyAsync(() -> LeaseClusters.timeToLive(alone, kept));
        assertEquals("UNAVAILABLE: etcdserver: no leader", LeaseClusters.keepAliveOnce(alone, kept));
        assertEquals("UNAVAILABLE: etcdserver: no leader", ttl.get(60, TimeUnit.SECONDS));
    }
}
