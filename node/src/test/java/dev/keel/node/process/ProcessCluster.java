package dev.keel.node.process;

import io.etcd.jetcd.api.StatusResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * N {@code bin/keel} processes forming one cluster on free loopback ports, each with its own data directory
 * and log file under one temporary folder, which {@link #close()} deletes after killing every process. Leaders
 * are found by asking members etcd's Maintenance.Status over gRPC.
 */
public final class ProcessCluster implements AutoCloseable {
    private final Path root;
    private final List<KeelProcess> members;

    private ProcessCluster(Path root, List<KeelProcess> members) {
        this.root = root;
        this.members = members;
    }

    /** @return a builder for a cluster of three members with etcd's default timing */
    public static Builder builder() {
        return new Builder();
    }

    /** @return member {@code i} (0-based) */
    public KeelProcess member(int i) {
        return members.get(i);
    }

    /** @return every member, in {@code --initial-cluster} order */
    public List<KeelProcess> members() {
        return members;
    }

    /** @return the members whose process runs */
    public List<KeelProcess> running() {
        return members.stream().filter(KeelProcess::alive).toList();
    }

    /** @return the temporary folder holding every member's data and log */
    public Path root() {
        return root;
    }

    /** @return the client endpoints of every member, comma-separated {@code host:port} */
    public String endpoints() {
        return String.join(",", members.stream().map(KeelProcess::endpoint).toList());
    }

    /**
     * @return the member every running one of {@code among} names as leader, when they all answer Status and
     *         agree on one that is itself among them; empty otherwise
     */
    public Optional<KeelProcess> agreedLeader(Collection<KeelProcess> among) {
        long leader = 0;
        for (KeelProcess m : among) {
            Optional<StatusResponse> s = m.status();
            if (s.isEmpty() || s.get().getLeader() == 0 || (leader != 0 && s.get().getLeader() != leader)) {
                return Optional.empty();
            }
            leader = s.get().getLeader();
        }
        for (KeelProcess m : among) {
            Optional<StatusResponse> s = m.status();
            if (s.isPresent() && s.get().getHeader().getMemberId() == leader) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * Polls until the running members agree on a leader among themselves.
     *
     * @throws AssertionError naming the log tails when they do not within {@code millis}
     */
    public KeelProcess awaitLeader(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            List<KeelProcess> up = running();
            Optional<KeelProcess> leader = up.isEmpty() ? Optional.empty() : agreedLeader(up);
            if (leader.isPresent()) {
                return leader.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no agreed leader among " + up + " within " + millis + " ms\n"
                        + logTails(8));
            }
            Waits.pause();
        }
    }

    /** @return the last {@code lines} lines of every member's log */
    public String logTails(int lines) {
        StringBuilder out = new StringBuilder();
        for (KeelProcess m : members) {
            out.append(m.logTail(lines));
        }
        return out.toString();
    }

    /** Kills every member still running, then deletes the temporary folder. */
    @Override
    public void close() {
        for (KeelProcess m : members) {
            m.close();
        }
        deleteTree(root);
    }

    /** Deletes {@code dir} and everything under it; a missing folder is fine. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    /** @return free loopback ports (see {@link dev.keel.node.KeelCluster#freePorts}) */
    public static int[] freePorts(int n) {
        return dev.keel.node.KeelCluster.freePorts(n);
    }

    /** Settings for {@link ProcessCluster}: size, timing and any other {@code bin/keel} flags. */
    public static final class Builder {
        private int size = 3;
        private final List<String> extraFlags = new ArrayList<>();

        private Builder() {
        }

        /** Number of members (1 to 7). */
        public Builder members(int n) {
            if (n < 1 || n > 7) {
                throw new IllegalArgumentException("members: 1 to 7, got " + n);
            }
            size = n;
            return this;
        }

        /** Adds {@code --flag value} to every member's command line (e.g. {@code --snapshot-count 100}). */
        public Builder flag(String flag, String value) {
            extraFlags.add(flag);
            extraFlags.add(value);
            return this;
        }

        /** Creates the folder, picks ports, starts every member's process (without waiting for a leader). */
        public ProcessCluster start() {
            Path root;
            try {
                root = Files.createTempDirectory("keel-proc-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int[] ports = freePorts(2 * size);
            StringBuilder initial = new StringBuilder();
            for (int i = 0; i < size; i++) {
                initial.append(i == 0 ? "" : ",").append("m").append(i + 1).append("=http://127.0.0.1:")
                        .append(ports[2 * i + 1]);
            }
            List<KeelProcess> members = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                members.add(member(root, "m" + (i + 1), ports[2 * i], ports[2 * i + 1], initial.toString()));
            }
            ProcessCluster cluster = new ProcessCluster(root, List.copyOf(members));
            try {
                members.forEach(KeelProcess::start);
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }

        private KeelProcess member(Path root, String name, int clientPort, int peerPort, String initialCluster) {
            String client = "http://127.0.0.1:" + clientPort;
            String peer = "http://127.0.0.1:" + peerPort;
            Path dataDir = root.resolve(name + ".keel");
            List<String> flags = new ArrayList<>(List.of("--name", name, "--data-dir", dataDir.toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", initialCluster, "--initial-cluster-state", "new",
                    "--initial-cluster-token", "keel-proc-" + root.getFileName()));
            flags.addAll(extraFlags);
            return new KeelProcess(name, dataDir, root.resolve(name + ".log"), clientPort, peerPort, flags);
        }
    }
}
