package dev.keel.node.compat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import dev.keel.node.KeelNode;
import dev.keel.node.cli.KeelMain;
import dev.keel.node.config.InitialCluster;
import dev.keel.node.config.NodeConfig;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A one-member Keel cluster with a tiny {@code --quota-backend-bytes}, driven by etcdctl 3.4: NOSPACE is raised,
 * listed and disarmed with etcd's outputs (measured on etcd 3.4.23); and {@code etcdctl snapshot save} followed
 * by {@code keel snapshot restore} gives a new cluster holding every key at the same revision, while a damaged
 * file is refused.
 */
class NoSpaceAndRestoreTest {
    private static final long QUOTA = 16 * 1024;
    private KeelCluster keel;
    private Path work;
    private KeelNode restored;

    @BeforeEach
    void start() throws IOException {
        work = Files.createTempDirectory("keel-restore-test-");
        keel = KeelCluster.builder().members(1).configure(c -> new NodeConfig(c.name(), c.dataDir(),
                c.listenClientUrls(), c.advertiseClientUrls(), c.listenPeerUrls(), c.initialAdvertisePeerUrls(),
                c.initialCluster(), c.newCluster(), c.clusterToken(), c.heartbeatMillis(), c.electionMillis(),
                c.snapshotCount(), c.autoCompactionMode(), c.autoCompactionRetention(), QUOTA, c.maxRequestBytes(),
                c.maxTxnOps())).start();
        Awaits.until("the member serves writes", 30_000, () -> {
            try {
                put(endpoint(), "ready", "1");
                return true;
            } catch (StatusRuntimeException notYet) {
                return false;
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        if (restored != null) {
            restored.close();
        }
        keel.close();
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String endpoint() {
        return keel.member(0).clientEndpoints().get(0);
    }

    private static KVGrpc.KVBlockingStub kv(String endpoint) {
        return GrpcClients.newClient("http://" + endpoint, KVGrpc.KVBlockingStub.class)
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static long put(String endpoint, String key, String value) {
        return kv(endpoint).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value)).build()).getHeader().getRevision();
    }

    private Etcdctl.Outcome etcdctl(String... args) {
        return Etcdctl.run(endpoint(), List.of(args), null);
    }

    @Test
    void noSpaceIsListedAndDisarmedAsEtcdAndPutsWorkAgainAfterCompaction() {
        String big = "x".repeat(3000);
        long revision = 0;
        boolean full = false;
        for (int i = 0; i < 20 && !full; i++) {
            try {
                revision = put(endpoint(), "big", big);
            } catch (StatusRuntimeException e) {
                assertEquals("RESOURCE_EXHAUSTED: etcdserver: mvcc: database space exceeded", e.getMessage());
                full = true;
            }
        }
        assertTrue(full, "a " + QUOTA + "-byte quota is exceeded by 20 puts of 3000 bytes");
        String id = Long.toUnsignedString(keel.member(0).memberId());
        Etcdctl.Outcome refused = etcdctl("put", "small", "1");
        assertEquals(1, refused.exitCode());
        assertTrue(refused.stderr().endsWith("Error: etcdserver: mvcc: database space exceeded\n"), refused.stderr());
        assertEquals(new Etcdctl.Outcome(0, "memberID:" + id + " alarm:NOSPACE \n", ""), etcdctl("alarm", "list"));
        assertEquals(new Etcdctl.Outcome(0, "{\"alarms\":[{\"memberID\":" + id + ",\"alarm\":1}]}\n", ""),
                etcdctl("alarm", "list", "-w", "json"));
        assertTrue(etcdctl("endpoint", "status", "-w", "json").stdout()
                .contains("\"errors\":[\"memberID:" + id + " alarm:NOSPACE \"]"), "status lists the alarm as etcd");
        try (io.etcd.jetcd.Client jetcd = io.etcd.jetcd.Client.builder().endpoints("http://" + endpoint()).build()) {
            var alarms = jetcd.getMaintenanceClient().listAlarms().get(10, TimeUnit.SECONDS).getAlarms();
            assertEquals(1, alarms.size());
            assertEquals(keel.member(0).memberId(), alarms.get(0).getMemberId());
            assertEquals(io.etcd.jetcd.maintenance.AlarmType.NOSPACE, alarms.get(0).getAlarmType());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        kv(endpoint()).compact(CompactionRequest.newBuilder().setRevision(revision).build());
        assertEquals(new Etcdctl.Outcome(0, "memberID:" + id + " alarm:NOSPACE \n", ""), etcdctl("alarm", "disarm"));
        assertEquals(new Etcdctl.Outcome(0, "", ""), etcdctl("alarm", "list"));
        assertEquals(new Etcdctl.Outcome(0, "OK\n", ""), etcdctl("put", "small", "1"));
    }

    @Test
    void aSavedSnapshotRestoresIntoANewClusterWithEveryKeyAndTheRevision() throws Exception {
        for (int i = 0; i < 10; i++) {
            put(endpoint(), "k" + i, "v" + i);
        }
        put(endpoint(), "k3", "v3-again");
        Path file = work.resolve("saved.db");
        Etcdctl.Outcome saved = etcdctl("snapshot", "save", file.toString());
        assertEquals("Snapshot saved at " + file + "\n", saved.stdout(), saved.stderr());
        RangeResponse before = kv(endpoint()).range(all());

        int[] ports = KeelCluster.freePorts(2);
        NodeConfig config = restoredConfig(ports);
        String[] result = restore(file, config);
        assertEquals("0", result[0], result[1]);
        restored = KeelNode.start(config);
        String endpoint = "127.0.0.1:" + ports[0];
        RangeResponse[] after = new RangeResponse[1];
        Awaits.until("the restored member serves reads", 30_000, () -> {
            try {
                after[0] = kv(endpoint).range(all());
                return true;
            } catch (StatusRuntimeException notYet) {
                return false;
            }
        });
        assertEquals(before.getKvsList(), after[0].getKvsList(), "every key, with its revisions and version");
        assertEquals(before.getHeader().getRevision(), after[0].getHeader().getRevision(), "the revision");
        assertEquals(before.getHeader().getRevision() + 1, put(endpoint, "new", "1"), "writes continue from it");
        assertFalse(after[0].getHeader().getClusterId() == before.getHeader().getClusterId(), "a new cluster");
    }

    @Test
    void aDamagedSnapshotOrAnExistingDataDirIsRefused() throws Exception {
        Path file = work.resolve("saved.db");
        assertEquals(0, etcdctl("snapshot", "save", file.toString()).exitCode());
        byte[] bytes = Files.readAllBytes(file);
        bytes[100] ^= 1;
        Path damaged = work.resolve("damaged.db");
        Files.write(damaged, bytes);
        NodeConfig config = restoredConfig(KeelCluster.freePorts(2));
        String[] result = restore(damaged, config);
        assertEquals("1", result[0]);
        assertTrue(result[1].startsWith("keel: snapshot " + damaged + " is damaged: expected sha256 "), result[1]);
        assertFalse(Files.exists(config.dataDir()), "nothing written");

        NodeConfig stranger = new NodeConfig("r2", config.dataDir(), config.listenClientUrls(),
                config.advertiseClientUrls(), config.listenPeerUrls(), config.initialAdvertisePeerUrls(),
                config.initialCluster(), true, config.clusterToken(), config.heartbeatMillis(), config.electionMillis(),
                config.snapshotCount(), config.autoCompactionMode(), config.autoCompactionRetention(),
                config.quotaBackendBytes(), config.maxRequestBytes(), config.maxTxnOps());
        result = restore(file, stranger);
        assertEquals("2", result[0], "a name missing from --initial-cluster is a bad flag");
        assertTrue(result[1].startsWith("keel: couldn't find local name \"r2\""), result[1]);

        Files.createDirectories(config.dataDir());
        result = restore(file, config);
        assertEquals("1", result[0]);
        assertEquals("keel: data-dir \"" + config.dataDir() + "\" exists\n", result[1]);
    }

    private static RangeRequest all() {
        return RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("\0")).setRangeEnd(ByteString.copyFromUtf8("\0"))
                .build();
    }

    private NodeConfig restoredConfig(int[] ports) {
        String client = "http://127.0.0.1:" + ports[0];
        String peer = "http://127.0.0.1:" + ports[1];
        NodeConfig d = NodeConfig.defaults("r1");
        return new NodeConfig("r1", work.resolve("r1.keel"), List.of(client), List.of(client), List.of(peer),
                List.of(peer), InitialCluster.parse("r1=" + peer), true, "restored", d.heartbeatMillis(),
                d.electionMillis(), d.snapshotCount(), d.autoCompactionMode(), d.autoCompactionRetention(),
                d.quotaBackendBytes(), d.maxRequestBytes(), d.maxTxnOps());
    }

    /** Runs {@code keel snapshot restore} as bin/keel does; returns its exit code and what it printed on stderr. */
    private static String[] restore(Path file, NodeConfig c) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = KeelMain.run("snapshot", "restore", file.toString(), "--name", c.name(),
                    "--initial-cluster", c.initialCluster().toString(),
                    "--initial-cluster-token", c.clusterToken(),
                    "--initial-advertise-peer-urls", String.join(",", c.initialAdvertisePeerUrls()),
                    "--data-dir", c.dataDir().toString());
        } finally {
            System.setErr(old);
        }
        return new String[]{Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
    }
}
