package dev.keel.node.process;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three {@code bin/keel} processes, jetcd keeping a lease alive through a follower: the leader is killed with
 * SIGKILL; the follower's forwarded keepalive stream breaks, the keepalives find the new leader, and the kept
 * lease and an idle one with a long TTL keep their keys through the election.
 */
class LeaseFailoverIT {
    private static final long START_MILLIS = 60_000;
    private static final long TIMEOUT_SECONDS = 30;

    @RegisterExtension
    final LogsOnFailure logs = new LogsOnFailure();
    private ProcessCluster cluster;
    private Client client;

    @AfterEach
    void stopEverything() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static long count(KV kv, String key) throws Exception {
        return kv.get(bytes(key), GetOption.builder().withCountOnly(true).build())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getCount();
    }

    @Test
    void leasesKeptAliveThroughAFollowerSurviveTheLeadersKill() throws Exception {
        cluster = logs.watch(ProcessCluster.builder().members(3).start());
        KeelProcess leader = cluster.awaitLeader(START_MILLIS);
        KeelProcess follower = cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
        client = Client.builder().endpoints("http://" + follower.endpoint()).build();
        Lease lease = client.getLeaseClient();
        KV kv = client.getKVClient();
        long kept = lease.grant(3).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getID();
        long idle = lease.grant(120).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getID();
        kv.put(bytes("kept"), bytes("v"), PutOption.builder().withLeaseId(kept).build())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        kv.put(bytes("idle"), bytes("v"), PutOption.builder().withLeaseId(idle).build())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<LeaseKeepAliveResponse> answers = new CopyOnWriteArrayList<>();
        CloseableClient keepAlive = lease.keepAlive(kept, new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                answers.add(r);
            }

            @Override
            public void onError(Throwable t) {
                // jetcd reopens its stream; the lease is judged by the answers and the keys below
            }

            @Override
            public void onCompleted() {
            }
        });
        try {
            Waits.until("keepalives are answered through the follower", 30_000, () -> answers.size() >= 2);
            leader.kill();
            List<KeelProcess> survivors = cluster.running();
            Waits.until("the survivors agree on a new leader", 30_000,
                    () -> cluster.agreedLeader(survivors).isPresent());
            int atElection = answers.size();
            Waits.until("keepalives are answered by the new leader for two TTLs", 60_000,
                    () -> answers.size() >= atElection + 6);
            assertTrue(answers.stream().allMatch(r -> r.getID() == kept && r.getTTL() == 3), answers.toString());
            assertEquals(1, count(kv, "kept"), "the kept lease's key survived");
            assertEquals(1, count(kv, "idle"), "the idle lease's key survived");
            long remaining = lease.timeToLive(idle, LeaseOption.DEFAULT).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .getTTL();
            assertTrue(remaining > 60, "the idle lease keeps its remaining TTL: " + remaining);
        } finally {
            keepAlive.close();
        }
    }
}
