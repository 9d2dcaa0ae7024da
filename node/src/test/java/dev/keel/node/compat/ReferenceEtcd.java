package dev.keel.node.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real etcd 3.4 cluster of {@code etcd} processes on free loopback ports, data and logs in a temporary folder
 * (deleted on close), members named {@code m1..mN} like {@link dev.keel.node.KeelCluster}'s. Member m1 has a
 * short election timeout and the others a long one without etcd's start-up tick advance, and all pre-vote as
 * Keel's members do, so m1 leads in term 2 and headers, leader fields and terms can be compared with a Keel
 * cluster started the same way.
 */
public final class ReferenceEtcd implements AutoCloseable {
    /** The favoured leader's timeouts; the others wait {@link #FOLLOWER_ELECTION_MILLIS}. */
    static final int LEADER_HEARTBEAT_MILLIS = 100;
    static final int LEADER_ELECTION_MILLIS = 1000;
    static final int FOLLOWER_ELECTION_MILLIS = 10_000;

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> clientEndpoints = new ArrayList<>();
    private final Thread reaper = new Thread(this::killAll, "reference-etcd-reaper");

    private ReferenceEtcd(Path dir) {
        this.dir = dir;
    }

    /**
     * Starts {@code members} etcd processes (they elect m1; wait with {@link ClusterSettling}).
     *
     * @param extraFlags flags given to every member (for instance {@code --max-request-bytes=...})
     */
    public static ReferenceEtcd start(int members, String token, List<String> extraFlags) {
        EtcdTools.requireEtcd();
        ReferenceEtcd etcd;
        try {
            etcd = new ReferenceEtcd(Files.createTempDirectory("ref-etcd-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(etcd.reaper);
        try {
            etcd.launch(members, token, extraFlags);
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
        return etcd;
    }

    private void launch(int members, String token, List<String> extraFlags) {
        int[] ports = freePorts(2 * members);
        StringBuilder initial = new StringBuilder();
        for (int i = 0; i < members; i++) {
            initial.append(i == 0 ? "" : ",").append("m").append(i + 1).append("=http://127.0.0.1:")
                    .append(ports[members + i]);
        }
        for (int i = 0; i < members; i++) {
            String name = "m" + (i + 1);
            String client = "http://127.0.0.1:" + ports[i];
            String peer = "http://127.0.0.1:" + ports[members + i];
            List<String> cmd = new ArrayList<>(List.of(EtcdTools.etcd().toString(), "--name", name,
                    "--data-dir", dir.resolve(name).toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", initial.toString(), "--initial-cluster-state", "new",
                    "--initial-cluster-token", token, "--logger", "zap",
                    "--log-outputs", dir.resolve(name + ".log").toString(),
                    "--heartbeat-interval", Integer.toString(LEADER_HEARTBEAT_MILLIS),
                    // Keel's Raft always pre-votes; so must etcd's, or a first campaign that starts before the
                    // others listen (a loaded machine) raises etcd's term and every header's raft_term.
                    "--pre-vote=true"));
            if (i == 0) {
                cmd.addAll(List.of("--election-timeout", Integer.toString(LEADER_ELECTION_MILLIS)));
            } else {
                cmd.addAll(List.of("--election-timeout", Integer.toString(FOLLOWER_ELECTION_MILLIS),
                        "--initial-election-tick-advance=false"));
            }
            cmd.addAll(extraFlags);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".out").toFile());
            try {
                processes.add(pb.start());
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + cmd, e);
            }
            clientEndpoints.add("127.0.0.1:" + ports[i]);
        }
    }

    /** @return the client endpoints, {@code host:port}, m1 first */
    public List<String> clientEndpoints() {
        return List.copyOf(clientEndpoints);
    }

    /** @return the member names, m1 first */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= clientEndpoints.size(); i++) {
            names.add("m" + i);
        }
        return names;
    }

    /** @return why a member exited, with the end of its log, or null while all run */
    public String exited() {
        for (int i = 0; i < processes.size(); i++) {
            if (!processes.get(i).isAlive()) {
                return "etcd member m" + (i + 1) + " exited with " + processes.get(i).exitValue() + "; log: "
                        + tail(dir.resolve("m" + (i + 1) + ".log"));
            }
        }
        return null;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void killAll() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    /** Stops every member and deletes the folder. */
    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete " + dir, e);
            }
        }
    }

    static int[] freePorts(int n) {
        return dev.keel.node.KeelCluster.freePorts(n);
    }
}
