package dev.keel.node.cli;

import dev.keel.node.config.InitialCluster;
import dev.keel.node.config.MemberIds;
import dev.keel.node.config.NodeConfig;
import dev.keel.node.config.Urls;
import dev.keel.node.disk.DiskIoException;
import dev.keel.node.disk.FileDisk;
import dev.keel.replica.ReplicaConfig;
import dev.keel.replica.snapshot.SnapshotRestore;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code keel snapshot restore FILE}: etcdctl's {@code snapshot restore} for Keel's snapshot files (what
 * {@code etcdctl snapshot save} wrote from a Keel member: the store snapshot followed by its SHA-256). It checks
 * the hash, then writes a new data directory from which {@code bin/keel}, given the same flags, starts a member
 * of a NEW cluster holding the snapshot's keys at its revision. What the directory holds is the replica's
 * decision ({@link SnapshotRestore}); this command reads the file and hands the bytes over. Exit codes: 0 restored,
 * 1 refused (damaged file, existing data dir, I/O error), 2 bad flags.
 */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Restores a member's data directory from a snapshot saved by 'etcdctl snapshot save'.")
final class SnapshotRestoreCommand implements Callable<Integer> {
    private static final int SHA256_BYTES = 32;

    @Parameters(index = "0", paramLabel = "FILE", description = "The snapshot file.")
    Path file;
    @Option(names = "--name", defaultValue = "default", description = "Human-readable name for this member.")
    String name;
    @Option(names = "--data-dir", description = "Path to the data directory to create (default: <name>.keel).")
    String dataDir;
    @Option(names = "--initial-cluster", description = "Initial cluster configuration for restore bootstrap "
            + "(default: <name>=<initial-advertise-peer-urls>).")
    String initialCluster;
    @Option(names = "--initial-cluster-token", defaultValue = "etcd-cluster",
            description = "Initial cluster token for the cluster during restore bootstrap.")
    String initialClusterToken;
    @Option(names = "--initial-advertise-peer-urls", defaultValue = "http://localhost:2380",
            description = "List of this member's peer URLs to advertise to the rest of the cluster.")
    String initialAdvertisePeerUrls;

    @Override
    public Integer call() {
        NodeConfig config;
        try {
            config = config().validate();
        } catch (IllegalArgumentException e) {
            System.err.println("keel: " + e.getMessage() + " (see keel snapshot restore --help)");
            return 2;
        }
        Path dir = config.dataDir();
        if (Files.exists(dir)) {
            System.err.println("keel: data-dir \"" + dir + "\" exists");
            return 1;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            System.err.println("keel: cannot read snapshot " + file + ": " + e);
            return 1;
        }
        String damaged = checkHash(bytes);
        if (damaged != null) {
            System.err.println("keel: snapshot " + file + " " + damaged);
            return 1;
        }
        return restore(config, bytes);
    }

    private int restore(NodeConfig config, byte[] bytes) {
        Path dir = config.dataDir();
        ReplicaConfig replica = config.replicaConfig(0);
        SnapshotRestore.Result result;
        try (FileDisk disk = FileDisk.open(dir, replica.walSegmentBytes())) {
            result = SnapshotRestore.fromSaved(new UnsafeBuffer(bytes), bytes.length - SHA256_BYTES,
                    replica.initialMembers(), disk, replica.walSegmentBytes());
        } catch (DiskIoException e) {
            System.err.println("keel: " + e.getMessage());
            deleteQuietly(dir);
            return 1;
        }
        if (!result.ok()) {
            System.err.println("keel: snapshot " + file + ": " + result.error());
            deleteQuietly(dir);
            return 1;
        }
        System.out.println("restored snapshot " + file + " (revision " + result.revision() + ") into " + dir
                + " as member " + config.name() + " (" + MemberIds.hex(config.memberId()) + ") of a new cluster; "
                + "start it with keel and the same --name, --initial-cluster, --initial-cluster-token, "
                + "--initial-advertise-peer-urls and --data-dir");
        return 0;
    }

    /** @return null when the file ends in the SHA-256 of what precedes it, else what is wrong */
    static String checkHash(byte[] bytes) {
        if (bytes.length <= SHA256_BYTES) {
            return "is " + bytes.length + " bytes, too short to hold a snapshot and its sha256";
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
        sha.update(bytes, 0, bytes.length - SHA256_BYTES);
        byte[] expected = Arrays.copyOfRange(bytes, bytes.length - SHA256_BYTES, bytes.length);
        byte[] actual = sha.digest();
        if (!MessageDigest.isEqual(expected, actual)) {
            HexFormat hex = HexFormat.of();
            return "is damaged: expected sha256 " + hex.formatHex(expected) + ", got " + hex.formatHex(actual)
                    + " (or it is not a snapshot saved from Keel)";
        }
        return null;
    }

    NodeConfig config() {
        String cluster = initialCluster != null ? initialCluster : name + "=" + initialAdvertisePeerUrls;
        NodeConfig d = NodeConfig.defaults(name);
        return new NodeConfig(name, Path.of(dataDir != null ? dataDir : name + ".keel"), d.listenClientUrls(),
                d.advertiseClientUrls(), d.listenPeerUrls(),
                Urls.list(initialAdvertisePeerUrls, "--initial-advertise-peer-urls"), InitialCluster.parse(cluster),
                true, initialClusterToken, d.heartbeatMillis(), d.electionMillis(), d.snapshotCount(),
                d.autoCompactionMode(), d.autoCompactionRetention(), d.quotaBackendBytes(), d.maxRequestBytes(),
                d.maxTxnOps());
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort: the message already says what went wrong
        }
    }
}
