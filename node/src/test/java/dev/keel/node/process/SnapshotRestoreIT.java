package dev.keel.node.process;

import com.google.protobuf.ByteString;
import dev.keel.node.compat.EtcdTools;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's backup and restore, with real processes: {@code etcdctl snapshot save} from a {@code bin/keel}
 * member, {@code keel snapshot restore} (the jar, as bin/keel runs it), and a {@code bin/keel} member started on
 * the restored data dir serving every key at the saved revision; a damaged file is refused.
 */
class SnapshotRestoreIT {
    private static final long START_MILLIS = 40_000;

    @RegisterExtension
    final LogsOnFailure logs = new LogsOnFailure();
    private ProcessCluster source;
    private KeelProcess restored;

    @AfterEach
    void stopEverything() {
        if (restored != null) {
            restored.close();
        }
        if (source != null) {
            source.close();
        }
    }

    private static RangeRequest all() {
        return RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("\0"))
                .setRangeEnd(ByteString.copyFromUtf8("\0")).build();
    }

    @Test
    void aSnapshotSavedByEtcdctlRestoresIntoANewMemberWithEveryKeyAndTheRevision() throws Exception {
        EtcdTools.requireEtcd();
        source = logs.watch(ProcessCluster.builder().members(1).start());
        KeelProcess member = source.awaitLeader(START_MILLIS);
        for (int i = 0; i < 50; i++) {
            member.kv().put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("key/" + i))
                    .setValue(ByteString.copyFromUtf8("value " + i)).build());
        }
        RangeResponse before = member.kv().range(all());
        Path file = source.root().resolve("backup.db");
        Outcome saved = run(List.of(EtcdTools.etcdctl().toString(), "--endpoints=" + member.endpoint(), "snapshot",
                "save", file.toString()));
        assertEquals("Snapshot saved at " + file + "\n", saved.stdout, saved.stderr);
        member.terminate(20_000);

        int[] ports = ProcessCluster.freePorts(2);
        String client = "http://127.0.0.1:" + ports[0];
        String peer = "http://127.0.0.1:" + ports[1];
        Path dataDir = source.root().resolve("restored.keel");
        List<String> cluster = List.of("--name", "r1", "--initial-cluster", "r1=" + peer,
                "--initial-cluster-token", "restored", "--initial-advertise-peer-urls", peer,
                "--data-dir", dataDir.toString());

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Path damaged = source.root().resolve("damaged.db");
        Files.write(damaged, bytes);
        Outcome refused = restore(damaged, cluster);
        assertEquals(1, refused.exitCode, refused.stderr);
        assertTrue(refused.stderr.startsWith("keel: snapshot " + damaged + " is damaged: expected sha256 "),
                refused.stderr);
        assertFalse(Files.exists(dataDir), "nothing written for a damaged file");

        Outcome ok = restore(file, cluster);
        assertEquals(0, ok.exitCode, ok.stderr);
        assertTrue(ok.stdout.startsWith("restored snapshot " + file + " (revision " + before.getHeader().getRevision()
                + ") into " + dataDir), ok.stdout);

        List<String> flags = new ArrayList<>(cluster);
        flags.addAll(List.of("--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer));
        restored = new KeelProcess("r1", dataDir, source.root().resolve("r1.log"), ports[0], ports[1], flags);
        restored.start();
        RangeResponse[] after = new RangeResponse[1];
        Waits.until("the restored member serves a linearizable read", START_MILLIS, () -> {
            try {
                after[0] = restored.kv().range(all());
                return true;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        assertEquals(before.getKvsList(), after[0].getKvsList());
        assertEquals(before.getHeader().getRevision(), after[0].getHeader().getRevision());
    }

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome restore(Path file, List<String> flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:+UseSerialGC", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-jar", KeelProcess.jar().toAbsolutePath().toString(), "snapshot", "restore", file.toString()));
        command.addAll(flags);
        return run(command);
    }

    private static Outcome run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("keel-it-", ".out");
        Path err = Files.createTempFile("keel-it-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("ETCDCTL_API", "3");
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("did not finish within 60 s: " + command);
            }
            return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
