package dev.keel.node.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.node.KeelCluster;
import dev.keel.node.config.PortTlsFlags;
import dev.keel.node.config.TlsConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real etcdctl against a 3-member Keel cluster whose client ports serve TLS with {@code --client-cert-auth}:
 * a client with a certificate from the trusted CA reads and writes (also through what members forward to the
 * leader or call on themselves: lease keep-alive, lock); one with a certificate from another CA, or with none,
 * is refused at the handshake, and the members keep serving.
 */
class ClientTlsClusterTest {
    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static TestCertificates.Pair client;
    private static KeelCluster cluster;

    @BeforeAll
    static void start() {
        ca = TestCertificates.createCa(dir, "ca");
        TestCertificates.Pair server = ca.server("server");
        client = ca.client("client", "root");
        PortTlsFlags clientPort = new PortTlsFlags(Optional.of(server.cert()), Optional.of(server.key()),
                Optional.of(ca.ca()), true, false);
        TlsConfig tls = new TlsConfig(clientPort, PortTlsFlags.NONE, List.of(), 1);
        cluster = KeelCluster.builder().members(3).configure(c -> TlsClusters.httpsClients(c).withTls(tls)).start();
        // A member that has not heard from a leader yet answers "no leader", which etcdctl does not retry.
        TlsClusters.awaitLeader(List.of(TlsClusters.endpoints(cluster).split(",")), withCert(client));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String endpoints() {
        return TlsClusters.endpoints(cluster);
    }

    @Test
    void trustedClientWritesAndReadsThroughEveryMember() throws Exception {
        TlsClusters.Result put = etcdctl(endpoints(), withCert(client), "put", "tls-key", "tls-value");
        assertEquals(0, put.exit(), put.output());
        for (String e : endpoints().split(",")) {
            TlsClusters.Result get = etcdctl(e, withCert(client), "get", "tls-key", "--print-value-only",
                    "--consistency=l");
            assertEquals(0, get.exit(), get.output());
            assertEquals("tls-value", get.output().trim());
        }
    }

    @Test
    void followersForwardKeepAlivesAndLockCallsTheMemberOverHttps() throws Exception {
        TlsClusters.Result grant = etcdctl(endpoints(), withCert(client), "lease", "grant", "30");
        assertEquals(0, grant.exit(), grant.output());
        String id = grant.output().split(" ")[1];
        // Two of the three members are followers: their keep-alive goes to the leader's https port.
        for (String e : endpoints().split(",")) {
            TlsClusters.Result keepAlive = etcdctl(e, withCert(client), "lease", "keep-alive", "--once", id);
            assertEquals(0, keepAlive.exit(), keepAlive.output());
            assertTrue(keepAlive.output().contains("keepalived with TTL"), keepAlive.output());
        }
        // v3lock's service calls the member's own KV over its https port with the member's certificate.
        TlsClusters.Result lock = etcdctl(endpoints().split(",")[1], withCert(client), "lock", "tls-lock", "echo",
                "held");
        assertEquals(0, lock.exit(), lock.output());
        assertTrue(lock.output().contains("held"), lock.output());
    }

    @Test
    void untrustedOrMissingClientCertificateIsRefusedAndMembersKeepServing() throws Exception {
        TestCertificates other = TestCertificates.createCa(dir, "other-ca");
        TestCertificates.Pair stranger = other.client("stranger", "root");
        String first = endpoints().split(",")[0];
        TlsClusters.Result untrusted = etcdctl(first, withCert(stranger), "get", "tls-key");
        assertNotEquals(0, untrusted.exit(), untrusted.output());
        TlsClusters.Result none = etcdctl(first, List.of("--cacert=" + ca.ca()), "get", "tls-key");
        assertNotEquals(0, none.exit(), none.output());
        TlsClusters.Result good = etcdctl(first, withCert(client), "put", "after-refusals", "ok");
        assertEquals(0, good.exit(), good.output());
    }

    private static List<String> withCert(TestCertificates.Pair cert) {
        return TlsClusters.certFlags(ca.ca(), cert);
    }

    private static TlsClusters.Result etcdctl(String endpoints, List<String> tlsFlags, String... args)
            throws IOException, InterruptedException {
        return TlsClusters.etcdctl(endpoints, tlsFlags, args);
    }
}
