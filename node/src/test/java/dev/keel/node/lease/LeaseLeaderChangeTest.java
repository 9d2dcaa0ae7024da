package dev.keel.node.lease;

import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.support.CloseableClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
 * nobody renews whose remaining TTL was long, with their keys.
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
    }
}
