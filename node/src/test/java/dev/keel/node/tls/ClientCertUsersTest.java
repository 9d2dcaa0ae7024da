package dev.keel.node.tls;

import static dev.keel.node.tls.TlsClusters.certFlags;
import static dev.keel.node.tls.TlsClusters.etcdctl;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keel.node.KeelCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auth with {@code --client-cert-auth}: the CN of a verified client certificate names the user, with no
 * {@code --user}, as etcd 3.4 does. The expected lines are what etcd 3.4.23 printed for the same session with
 * certificates made the same way (run by hand against a single https member).
 */
class ClientCertUsersTest {
    @TempDir
    Path dir;

    @Test
    void aCertificatesCommonNameIsTheUser() throws Exception {
        TestCertificates ca = TestCertificates.createCa(dir, "ca");
        TestCertificates.Pair server = ca.server("server");
        List<String> root = certFlags(ca.ca(), ca.client("root", "root"));
        List<String> alice = certFlags(ca.ca(), ca.client("alice", "alice"));
        List<String> nobody = certFlags(ca.ca(), ca.client("nobody", "nobody"));
        try (KeelCluster cluster = KeelCluster.builder().members(1).configure(c -> TlsClusters.https(c, "cn-users")
                .withTls(TlsClusters.bothPorts(server, server, ca.ca()))).start()) {
            String endpoint = TlsClusters.endpoints(cluster);
            TlsClusters.awaitLeader(List.of(endpoint), root);
            for (String[] step : List.of(new String[] {"user", "add", "root:rootpw"},
                    new String[] {"user", "add", "alice:alicepw"}, new String[] {"role", "add", "reader"},
                    new String[] {"role", "grant-permission", "reader", "read", "/shared/", "--prefix"},
                    new String[] {"user", "grant-role", "alice", "reader"}, new String[] {"auth", "enable"},
                    new String[] {"put", "/shared/a", "v1"})) {
                TlsClusters.Result r = etcdctl(endpoint, root, step);
                assertEquals(0, r.exit(), String.join(" ", step) + ": " + r.output());
            }
            TlsClusters.Result read = etcdctl(endpoint, alice, "get", "/shared/a");
            assertEquals("/shared/a\nv1\n", read.output());
            assertRefused("etcdserver: permission denied", etcdctl(endpoint, alice, "put", "/shared/b", "x"));
            assertRefused("etcdserver: permission denied", etcdctl(endpoint, alice, "get", "/other"));
            // A CN that names no user: refused like a user without the permission, as etcd 3.4 answers.
            assertRefused("etcdserver: permission denied", etcdctl(endpoint, nobody, "get", "/shared/a"));
            assertRefused("etcdserver: permission denied", etcdctl(endpoint, nobody, "put", "/shared/a", "x"));
            assertRefused("etcdserver: user name not found", etcdctl(endpoint, nobody, "user", "list"));
            TlsClusters.Result unchanged = etcdctl(endpoint, root, "get", "/shared/a", "--print-value-only");
            assertEquals("v1\n", unchanged.output());
        }
    }

    /** etcdctl exits 1 and its last line is etcd's error, after the client library's retry warnings. */
    private static void assertRefused(String error, TlsClusters.Result result) {
        assertEquals(1, result.exit(), result.output());
        List<String> lines = result.output().lines().toList();
        assertEquals("Error: " + error, lines.get(lines.size() - 1), result.output());
    }
}
