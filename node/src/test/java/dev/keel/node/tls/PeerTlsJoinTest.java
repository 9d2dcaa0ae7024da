package dev.keel.node.tls;

import static dev.keel.node.tls.TlsClusters.certFlags;
import static dev.keel.node.tls.TlsClusters.etcdctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import dev.keel.node.KeelNode;
import dev.keel.node.config.InitialCluster;
import dev.keel.node.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code etcdctl member add} with https peer URLs and a member started with {@code --initial-cluster-state
 * existing}: the joining member asks for the member list over the peer port's TLS, connects over TLS, and serves
 * once promoted; an http peer URL in an https cluster is refused at the add, since no member could reach it.
 */
class PeerTlsJoinTest {
    private static final String TOKEN = "peer-tls-join";
    @TempDir
    Path dir;

    @Test
    void aMemberAddedWithHttpsPeerUrlsJoinsOverTls() throws Exception {
        TestCertificates ca = TestCertificates.createCa(dir, "ca");
        TestCertificates.Pair server = ca.server("server");
        TestCertificates.Pair peer = ca.server("peer");
        List<String> root = certFlags(ca.ca(), ca.client("client", "root"));
        try (KeelCluster cluster = KeelCluster.builder().members(1).configure(c -> TlsClusters.https(c, TOKEN)
                .withTls(TlsClusters.bothPorts(server, peer, ca.ca()))).start()) {
            String first = TlsClusters.endpoints(cluster);
            TlsClusters.awaitLeader(List.of(first), root);
            int[] ports = KeelCluster.freePorts(2);
            String peerUrl = "https://127.0.0.1:" + ports[1];
            TlsClusters.Result http = etcdctl(first, root, "member", "add", "m2", "--learner",
                    "--peer-urls=http://127.0.0.1:" + ports[1]);
            assertEquals(1, http.exit(), http.output());
            assertTrue(http.output().contains("keel: peer URL http://127.0.0.1:" + ports[1] + " is not https"),
                    http.output());
            TlsClusters.Result add = etcdctl(first, root, "member", "add", "m2", "--learner", "--peer-urls=" + peerUrl);
            assertEquals(0, add.exit(), add.output());
            NodeConfig m1 = cluster.config(0);
            NodeConfig joiner = joiner(m1, ports[0], peerUrl).withTls(m1.tls());
            try (KeelNode m2 = KeelNode.start(joiner)) {
                Awaits.until("the joined member connected to m1", 30_000, () -> m2.peerStats().connectionsOpened() >= 1);
                String id = Long.toHexString(m2.memberId());
                Awaits.until("m2 promoted once in sync", 30_000,
                        () -> run(first, root, "member", "promote", id).exit() == 0);
                TlsClusters.Result put = etcdctl(first, root, "put", "joined", "yes");
                assertEquals(0, put.exit(), put.output());
                String second = "https://" + m2.clientEndpoints().get(0);
                TlsClusters.Result get = etcdctl(second, root, "get", "joined", "--print-value-only",
                        "--consistency=l");
                assertEquals("yes\n", get.output());
                assertEquals(0, m2.peerStats().tlsHandshakesFailed());
            }
        }
    }

    /** The member {@code member add} told about: https URLs, {@code --initial-cluster-state existing}. */
    private NodeConfig joiner(NodeConfig founder, int clientPort, String peerUrl) {
        String client = "https://127.0.0.1:" + clientPort;
        InitialCluster initial = InitialCluster.parse(founder.initialCluster() + ",m2=" + peerUrl);
        return new NodeConfig("m2", dir.resolve("m2.keel"), List.of(client), List.of(client), List.of(peerUrl),
                List.of(peerUrl), initial, false, TOKEN, founder.heartbeatMillis(), founder.electionMillis(),
                founder.snapshotCount(), founder.autoCompactionMode(), founder.autoCompactionRetention(),
                founder.quotaBackendBytes(), founder.maxRequestBytes(), founder.maxTxnOps());
    }

    private static TlsClusters.Result run(String endpoint, List<String> tls, String... args) {
        try {
            return etcdctl(endpoint, tls, args);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("etcdctl did not run", e);
        }
    }
}
