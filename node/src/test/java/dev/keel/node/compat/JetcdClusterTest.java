package dev.keel.node.compat;

import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberAddResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jetcd 0.8.5's Cluster client against Keel: list, add (a learner that never starts, so the voters keep their
 * quorum), update, remove — through every member, so followers forward to the leader — and etcd's errors for
 * bad input, after which the cluster keeps serving.
 */
class JetcdClusterTest {
    private static KeelCluster cluster;

    @BeforeAll
    static void start() {
        cluster = KeelCluster.builder().members(3).start();
        // Settle first: every member knows every other by name (they have connected), so neither the names below
        // nor etcd's strict reconfiguration check ("unhealthy cluster" while a peer has not connected) race the
        // start-up.
        for (int i = 0; i < 3; i++) {
            String endpoint = "http://" + cluster.member(i).clientEndpoints().get(0);
            try (Client client = Client.builder().endpoints(endpoint).build()) {
                Awaits.until("member " + (i + 1) + " to know its peers by name", 60_000, () -> {
                    try {
                        List<Member> members = client.getClusterClient().listMember().get(10, TimeUnit.SECONDS)
                                .getMembers();
                        return members.size() == 3 && members.stream().allMatch(m -> !m.getName().isEmpty());
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static <T> T await(Supplier<java.util.concurrent.CompletableFuture<T>> call) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return call.get().get(20, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // Until a leader is elected the cluster answers "no leader"; clients retry that.
                if (System.nanoTime() > deadline || !String.valueOf(e.getCause().getMessage()).contains("leader")) {
                    throw e;
                }
            }
        }
    }

    private static String error(Supplier<java.util.concurrent.CompletableFuture<?>> call) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get().get(20, TimeUnit.SECONDS));
        return e.getCause().getMessage();
    }

    private static Optional<Member> find(List<Member> members, long id) {
        return members.stream().filter(m -> m.getId() == id).findFirst();
    }

    @Test
    void listAddUpdateRemoveThroughEveryMember() throws Exception {
        int[] ports = KeelCluster.freePorts(2);
        URI learnerUrl = URI.create("http://127.0.0.1:" + ports[0]);
        URI movedUrl = URI.create("http://127.0.0.1:" + ports[1]);
        for (int i = 0; i < 3; i++) {
            String endpoint = "http://" + cluster.member(i).clientEndpoints().get(0);
            try (Client client = Client.builder().endpoints(endpoint).build()) {
                List<Member> founders = await(() -> client.getClusterClient().listMember()).getMembers();
                assertEquals(3, founders.size());
                assertTrue(founders.stream().allMatch(m -> m.getName().startsWith("m") && !m.isLearner()));

                MemberAddResponse added = await(() -> client.getClusterClient().addMember(List.of(learnerUrl), true));
                long id = added.getMember().getId();
                assertTrue(added.getMember().isLearner());
                assertEquals(List.of(learnerUrl), added.getMember().getPeerURIs());
                Member listed = find(added.getMembers(), id).orElseThrow();
                assertEquals("", listed.getName(), "a member that never started has no name");
                assertEquals(4, added.getMembers().size());

                var updated = await(() -> client.getClusterClient().updateMember(id, List.of(movedUrl)));
                assertEquals(List.of(movedUrl), find(updated.getMembers(), id).orElseThrow().getPeerURIs());
                List<Member> all = await(() -> client.getClusterClient().listMember()).getMembers();
                assertEquals(List.of(movedUrl), find(all, id).orElseThrow().getPeerURIs());

                var removed = await(() -> client.getClusterClient().removeMember(id));
                assertEquals(3, removed.getMembers().size());
                assertTrue(find(removed.getMembers(), id).isEmpty());
            }
        }
    }

    @Test
    void badInputGetsEtcdsErrorsAndTheClusterKeepsServing() throws Exception {
        String endpoint = "http://" + cluster.member(1).clientEndpoints().get(0);
        try (Client client = Client.builder().endpoints(endpoint).build()) {
            List<Member> members = await(() -> client.getClusterClient().listMember()).getMembers();
            URI taken = members.get(0).getPeerURIs().get(0);
            long unknown = 0x1234;
            assertTrue(members.stream().noneMatch(m -> m.getId() == unknown));
            var c = client.getClusterClient();
            assertTrue(error(() -> c.addMember(List.of(taken))).contains("etcdserver: Peer URLs already exists"));
            assertTrue(error(() -> c.addMember(List.of(URI.create("foo"))))
                    .contains("etcdserver: given member URLs are invalid"));
            assertTrue(error(() -> c.removeMember(unknown)).contains("etcdserver: member not found"));
            assertTrue(error(() -> c.updateMember(unknown, List.of(URI.create("http://127.0.0.1:1"))))
                    .contains("etcdserver: member not found"));
            URI other = members.get(1).getPeerURIs().get(0);
            assertTrue(error(() -> c.updateMember(members.get(0).getId(), List.of(other)))
                    .contains("etcdserver: Peer URLs already exists"));
            Awaits.until("the cluster still lists its members", 20_000, () -> {
                try {
                    return c.listMember().get(10, TimeUnit.SECONDS).getMembers().size() == 3;
                } catch (Exception e) {
                    return false;
                }
            });
            assertNotEquals(0, members.get(0).getId());
        }
    }
}
