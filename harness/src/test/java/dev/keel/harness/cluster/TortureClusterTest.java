package dev.keel.harness.cluster;

import com.google.protobuf.ByteString;
import dev.keel.harness.client.EtcdClients;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three real members behind the proxies: a partitioned leader loses its leadership and cannot commit, heals and
 * catches up; pause, kill and restart, add and remove, leader transfer. Needs {@code node/target/keel.jar}.
 */
class TortureClusterTest {
    private static final long WAIT_MILLIS = 15_000;
    private static final ByteString KEY = ByteString.copyFromUtf8("k");

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final EtcdClients clients = new EtcdClients(2_000);

    private static Path keelJar() {
        String configured = System.getProperty("keel.jar");
        Path jar = configured != null ? Path.of(configured) : Path.of("..", "node", "target", "keel.jar");
        if (!Files.isRegularFile(jar)) {
            fail(jar.toAbsolutePath() + " not found: build it first with "
                    + "mvn -B -q -o package -DskipTests -pl node -am (or pass -Dkeel.jar=...)");
        }
        return jar;
    }

    @Test
    void faultsActOnRealMembers(@TempDir Path dir) {
        ClusterOptions options = new ClusterOptions(3, dir, ClusterOptions.defaultLauncher(keelJar()),
                List.of("--heartbeat-interval", "100", "--election-timeout", "1000"), false, log::add);
        try (TortureCluster cluster = TortureCluster.start(options)) {
            assertFalse(cluster.clocks().supported());
            Member first = cluster.leader().orElseThrow();
            put(first, "v1");
            partitionedLeaderCannotCommitAndCatchesUp(cluster, first);
            Member restarted = pauseKillRestart(cluster);
            addRemoveMove(cluster, restarted);
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError(e.getMessage() + "\ncluster log:\n" + String.join("\n", log), e);
        }
        log.forEach(line -> System.out.println("cluster | " + line));
        assertTrue(log.stream().anyMatch(line -> line.startsWith("cluster closed")), log.toString());
    }

    private void partitionedLeaderCannotCommitAndCatchesUp(TortureCluster cluster, Member old) {
        List<Member> others = new ArrayList<>(cluster.members());
        others.remove(old);
        for (Member other : others) {
            cluster.network().block(old.name(), other.name());
            cluster.network().block(other.name(), old.name());
        }
        Member fresh = await("a new leader among " + others, () -> cluster.leaderAmong(others)
                .filter(leader -> leader != old));
        await("a put through the new leader", () -> tryPut(fresh, "v2"));
        EtcdClients impatient = new EtcdClients(1_500);
        assertThrows(RuntimeException.class, () -> impatient.kv(old.clientEndpoint()).put(PutRequest.newBuilder()
                .setKey(KEY).setValue(ByteString.copyFromUtf8("v3")).build()), "the cut-off leader committed");

        cluster.network().heal();
        assertEquals("healed", cluster.network().describe());
        await("one leader after the heal", cluster::leader);
        await(old.name() + " reading v2", () -> readsLocally(old, "v2"));
    }

    /** @return the member it killed and restarted */
    private Member pauseKillRestart(TortureCluster cluster) {
        Member leader = await("a leader", cluster::leader);
        Member follower = cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
        cluster.pause(follower);
        assertTrue(follower.paused() && follower.alive());
        await("a put with " + follower.name() + " paused", () -> tryPut(leader, "v4"));
        cluster.resume(follower);
        assertFalse(follower.paused());
        await(follower.name() + " reading v4 after resume", () -> readsLocally(follower, "v4"));

        cluster.kill(follower);
        assertFalse(follower.alive());
        await("a put with " + follower.name() + " dead", () -> tryPut(leader, "v5"));
        cluster.restart(follower);
        assertTrue(follower.alive());
        // Its catching up is checked after the add below, so that the two members start at the same time.
        return follower;
    }

    private void addRemoveMove(TortureCluster cluster, Member restarted) {
        Member added = cluster.addMember();
        assertEquals("n4", added.name());
        assertEquals(4, cluster.clientEndpoints().size());
        await(restarted.name() + " reading v5 after restart", () -> readsLocally(restarted, "v5"));
        await(added.name() + " reading v5", () -> readsLocally(added, "v5"));

        Member leader = await("a leader with four", cluster::leader);
        Member leaving = cluster.members().stream().filter(m -> m != leader && m != added).findFirst()
                .orElseThrow();
        cluster.removeMember(leaving);
        assertFalse(leaving.alive());
        assertFalse(cluster.members().contains(leaving));
        assertEquals(3, clients.cluster(added.clientEndpoint()).memberList(MemberListRequest.getDefaultInstance())
                .getMembersCount());
        assertFalse(cluster.clientEndpoints().contains(leaving.clientEndpoint()));

        Member current = await("a leader after the removal", cluster::leader);
        Member target = cluster.members().stream().filter(m -> m != current).findFirst().orElseThrow();
        assertTrue(cluster.moveLeader(target), "move leader refused");
        assertEquals(target, await("leadership on " + target.name(), () -> cluster.leader()
                .filter(m -> m == target)));
        assertNotEquals(current, target);
    }

    private void put(Member member, String value) {
        clients.kv(member.clientEndpoint()).put(PutRequest.newBuilder().setKey(KEY)
                .setValue(ByteString.copyFromUtf8(value)).build());
    }

    private Optional<Boolean> tryPut(Member member, String value) {
        try {
            put(member, value);
            return Optional.of(true);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** @return present when {@code member}'s own state (a serializable read) holds {@code value} */
    private Optional<Boolean> readsLocally(Member member, String value) {
        try {
            RangeResponse range = clients.kv(member.clientEndpoint())
                    .range(RangeRequest.newBuilder().setKey(KEY).setSerializable(true).build());
            boolean holds = range.getKvsCount() == 1
                    && range.getKvs(0).getValue().toString(StandardCharsets.UTF_8).equals(value);
            return holds ? Optional.of(true) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static <T> T await(String what, java.util.function.Supplier<Optional<T>> poll) {
        return Waits.poll(WAIT_MILLIS, 100, poll).orElseThrow(() -> new AssertionError("no " + what + " within "
                + WAIT_MILLIS + " ms"));
    }
}
