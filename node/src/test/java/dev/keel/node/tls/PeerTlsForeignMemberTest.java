package dev.keel.node.tls;

import static dev.keel.node.tls.TlsClusters.certFlags;
import static dev.keel.node.tls.TlsClusters.etcdctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import dev.keel.node.KeelNode;
import dev.keel.node.config.InitialCluster;
import dev.keel.node.config.MemberIds;
import dev.keel.node.config.NodeConfig;
import dev.keel.node.config.TlsConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose peer certificate comes from a foreign CA (it trusts the cluster's CA itself) is refused by the
 * two others: the accepting members log the refusal, it never connects, so it receives no entry and is no part
 * of the quorum, and the two others keep serving etcdctl.
 */
class PeerTlsForeignMemberTest {
    @TempDir
    Path dir;

    @Test
    void aPeerWithAForeignCertificateNeverJoinsAndTheOthersServe() throws Exception {
        TestCertificates ca = TestCertificates.createCa(dir, "ca");
        TestCertificates foreign = TestCertificates.createCa(dir, "foreign-ca");
        TestCertificates.Pair server = ca.server("server");
        TestCertificates.Pair client = ca.client("client", "root");
        TestCertificates.Pair peer = ca.server("peer");
        TestCertificates.Pair stranger = foreign.server("stranger");
        try (TlsClusters.StderrCapture log = new TlsClusters.StderrCapture();
             KeelCluster cluster = KeelCluster.builder().members(3).configure(c -> {
                 NodeConfig https = TlsClusters.https(c, strangerDialsToken(c.initialCluster()));
                 TlsConfig tls = TlsClusters.bothPorts(server, c.name().equals("m3") ? stranger : peer, ca.ca());
                 return https.withTls(tls);
             }).start()) {
            KeelNode m1 = cluster.member(0);
            KeelNode m2 = cluster.member(1);
            KeelNode m3 = cluster.member(2);
            for (KeelNode honest : List.of(m1, m2)) {
                Awaits.until("member " + MemberIds.hex(honest.memberId()) + " refused the foreign peer", 20_000,
                        () -> honest.peerStats().tlsHandshakesFailed() >= 1);
                String line = "member=" + MemberIds.hex(honest.memberId()) + " tcp transport: refused peer ";
                assertTrue(log.text().lines().anyMatch(l -> l.contains(line) && l.contains("TLS handshake failed: ")),
                        "the accepting member logs the refusal: " + line);
            }
            String[] endpoints = TlsClusters.endpoints(cluster).split(",");
            TlsClusters.awaitLeader(List.of(endpoints[0], endpoints[1]), certFlags(ca.ca(), client));
            TlsClusters.Result put = etcdctl(endpoints[0], certFlags(ca.ca(), client), "put", "k", "v");
            assertEquals(0, put.exit(), put.output());
            TlsClusters.Result get = etcdctl(endpoints[1], certFlags(ca.ca(), client), "get", "k",
                    "--print-value-only", "--consistency=l");
            assertEquals(0, get.exit(), get.output());
            assertEquals("v", get.output().trim());
            // Never a connection, so no entry (nor any other message) ever reached the foreign member.
            assertEquals(0, m3.peerStats().connectionsOpened(), "the foreign member never connected");
            assertEquals(0, m3.peerStats().messagesReceived(), "the foreign member received nothing");
        }
    }

    /**
     * A cluster token that gives m3 the lowest member ID, so m3 dials m1 and m2 and they are the accepting side
     * (the member with the lower ID dials): their refusal is the one the transport logs with the peer's address.
     */
    private static String strangerDialsToken(InitialCluster initial) {
        for (int i = 0; ; i++) {
            String token = "foreign-" + i;
            long m1 = MemberIds.memberId(https(initial.peerUrls("m1")), token);
            long m2 = MemberIds.memberId(https(initial.peerUrls("m2")), token);
            long m3 = MemberIds.memberId(https(initial.peerUrls("m3")), token);
            if (m3 < m1 && m3 < m2) {
                return token;
            }
        }
    }

    private static List<String> https(List<String> urls) {
        return urls.stream().map(u -> u.replaceFirst("^http://", "https://")).toList();
    }
}
