package dev.keel.node;

import dev.keel.node.config.NodeConfig;
import dev.keel.node.disk.FileDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A member's identity: a founder's from its flags, kept in its data dir; a joiner's from the cluster. */
class ClusterJoinTest {

    @Test
    void theAnswerToAJoiningMemberRoundTrips() {
        Map<Long, List<String>> members = new LinkedHashMap<>();
        members.put(0x1aL, List.of("http://127.0.0.1:1", "http://127.0.0.1:2"));
        members.put(0x7fffffffffffffffL, List.of());
        Map<Long, List<String>> read = ClusterJoin.decodeAnswer(ClusterJoin.encodeAnswer(0xc1L, members));
        assertEquals(List.of("c1"), read.remove(0L));
        assertEquals(members, read);
    }

    @Test
    void aFounderKeepsItsComputedIdentityAndLaterStartsReadIt(@TempDir Path dir) {
        NodeConfig founder = NodeConfig.defaults("a");
        founder = new NodeConfig(founder.name(), dir.resolve("a"), founder.listenClientUrls(),
                founder.advertiseClientUrls(), founder.listenPeerUrls(), founder.initialAdvertisePeerUrls(),
                founder.initialCluster(), true, founder.clusterToken(), 100, 1000, 100, "periodic", "0", 0, 1024, 16);
        List<String> log = new ArrayList<>();
        try (FileDisk disk = FileDisk.open(founder.dataDir(), 1 << 20)) {
            assertEquals(founder.memberId(), ClusterJoin.identify(founder, disk, log::add).memberId());
        }
        assertTrue(Files.exists(founder.dataDir().resolve("member").resolve("identity")));
        // Started again with other flags (a different token would compute another ID): the file wins.
        NodeConfig other = new NodeConfig(founder.name(), founder.dataDir(), founder.listenClientUrls(),
                founder.advertiseClientUrls(), founder.listenPeerUrls(), founder.initialAdvertisePeerUrls(),
                founder.initialCluster(), false, "another-token", 100, 1000, 100, "periodic", "0", 0, 1024, 16);
        try (FileDisk disk = FileDisk.open(founder.dataDir(), 1 << 20)) {
            NodeConfig again = ClusterJoin.identify(other, disk, log::add);
            assertEquals(founder.memberId(), again.memberId());
            assertEquals(founder.clusterId(), again.clusterId());
        }
        assertEquals(List.of(), log);
    }

    @Test
    void aJoinerWithNoOtherMemberToAskIsTold(@TempDir Path dir) {
        NodeConfig base = NodeConfig.defaults("b");
        NodeConfig joiner = new NodeConfig(base.name(), dir.resolve("b"), base.listenClientUrls(),
                base.advertiseClientUrls(), base.listenPeerUrls(), base.initialAdvertisePeerUrls(),
                base.initialCluster(), false, base.clusterToken(), 100, 1000, 100, "periodic", "0", 0, 1024, 16);
        try (FileDisk disk = FileDisk.open(joiner.dataDir(), 1 << 20)) {
            NodeStartException e = assertThrows(NodeStartException.class,
                    () -> ClusterJoin.identify(joiner, disk, line -> { }));
            assertTrue(e.getMessage().contains("names no other member"), e.getMessage());
        }
    }
}
