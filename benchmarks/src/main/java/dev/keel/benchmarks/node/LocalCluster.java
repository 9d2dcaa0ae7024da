package dev.keel.benchmarks.node;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A local cluster run as separate processes by a start/stop script: {@code bin/keel-cluster} for Keel (one
 * {@code bin/keel} JVM per member) or {@code bin/etcd-ref-cluster} for etcd 3.4. Each is started on a fresh
 * directory and removed, data and all, when closed, so no run sees another's data.
 */
public final class LocalCluster implements AutoCloseable {
    private static final long SCRIPT_TIMEOUT_SECONDS = 120;
    private static final long LEADER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Which system a cluster runs. */
    public enum Kind {
        KEEL("Keel"), ETCD("etcd");

        /** How reports name the system. */
        public final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Kind kind;
    private final Path script;
    private final Path dir;
    private final Map<String, String> env;
    private final List<String> endpoints;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private LocalCluster(Kind kind, Path script, Path dir, Map<String, String> env, List<String> endpoints) {
        this.kind = kind;
        this.script = script;
        this.dir = dir;
        this.env = env;
        this.endpoints = endpoints;
    }

    /**
     * Starts {@code members} Keel members with {@code bin/keel-cluster} in {@code dir} (which must not exist yet).
     *
     * @param javaOpts the members' JVM options ({@code KEEL_JAVA_OPTS}); null for bin/keel's default
     */
    public static LocalCluster keel(Path repo, Path dir, int basePort, int members, String javaOpts) {
        requireAbsent(dir);
        Map<String, String> env = new java.util.HashMap<>(Map.of("KEEL_CLUSTER_DIR", dir.toString(),
                "KEEL_CLUSTER_PORT", Integer.toString(basePort)));
        if (javaOpts != null) {
            env.put("KEEL_JAVA_OPTS", javaOpts);
        }
        return start(Kind.KEEL, repo.resolve("bin/keel-cluster"), dir, env, members);
    }

    /**
     * Starts {@code members} etcd members with {@code bin/etcd-ref-cluster} (or the given script) in {@code dir}
     * (which must not exist).
     */
    public static LocalCluster etcd(Path script, Path dir, int basePort, int members) {
        requireAbsent(dir);
        return start(Kind.ETCD, script, dir, Map.of("REF_ETCD_DIR", dir.toString(),
                "REF_ETCD_PORT", Integer.toString(basePort)), members);
    }

    private static void requireAbsent(Path dir) {
        if (Files.exists(dir)) {
            throw new IllegalStateException(dir + " exists: another run may be using it; stop it or remove it");
        }
    }

    private static LocalCluster start(Kind kind, Path script, Path dir, Map<String, String> env, int members) {
        List<String> out = run(script, env, "start", Integer.toString(members));
        LocalCluster cluster = new LocalCluster(kind, script, dir, env, List.of());
        if (out.isEmpty()) {
            cluster.close();
            throw new IllegalStateException(script + " start " + members + " printed no endpoints");
        }
        return new LocalCluster(kind, script, dir, env, List.of(out.get(out.size() - 1).trim().split(",")));
    }

    private static List<String> run(Path script, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] stdout = p.getInputStream().readAllBytes();
            if (!p.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not end within " + SCRIPT_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command + " exited with " + p.exitValue());
            }
            return new String(stdout, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("running " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** @return which system runs */
    public Kind kind() {
        return kind;
    }

    /** @return the members' client endpoints, {@code host:port} */
    public List<String> endpoints() {
        return endpoints;
    }

    /** @return the process IDs of the members, from the pid files the start script leaves in the directory */
    public List<Long> memberPids() {
        try (Stream<Path> files = Files.list(dir)) {
            List<Long> pids = new ArrayList<>();
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList()) {
                pids.add(Long.parseLong(Files.readString(f).trim()));
            }
            return pids;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the pid files in " + dir, e);
        }
    }

    /** @return the endpoint of the member that leads, asked of every member with Maintenance.Status until one says */
    public String leaderEndpoint() throws InterruptedException {
        long deadline = System.nanoTime() + LEADER_TIMEOUT_NANOS;
        ClientFactory factory = ClientFactory.builder().workerGroup(1).build();
        try {
            while (System.nanoTime() - deadline < 0) {
                for (String endpoint : endpoints) {
                    try {
                        StatusResponse s = GrpcClients.builder("http://" + endpoint).factory(factory)
                                .responseTimeoutMillis(2_000).build(MaintenanceGrpc.MaintenanceBlockingStub.class)
                                .status(StatusRequest.getDefaultInstance());
                        if (s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId()) {
                            return endpoint;
                        }
                    } catch (RuntimeException notYet) {
                        // a member still starting or between leaders; ask again
                    }
                }
                Thread.sleep(100); // a poll interval; the deadline bounds the wait
            }
            throw new IllegalStateException(kind.label + " cluster " + endpoints + " has no leader after 30 s");
        } finally {
            factory.close();
        }
    }

    /**
     * Copies the members' logs to {@code <dir>.logs} (replaced by the next run of the same cluster, so a failed
     * run can be diagnosed), stops every member and removes the directory.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // closed already, by the run or by its Ctrl-C hook
        }
        try {
            keepLogs(); // first: the script's stop removes its directory
            run(script, env, "stop");
        } finally {
            deleteTree(dir);
        }
    }

    private void keepLogs() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Path logs = dir.resolveSibling(dir.getFileName() + ".logs");
        deleteTree(logs);
        try (Stream<Path> files = Files.list(dir)) {
            Files.createDirectories(logs);
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(f, logs.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("keeping the logs of " + dir, e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + dir, e);
        }
    }
}
