package dev.keel.node;

import dev.keel.node.config.JoinedIdentity;
import dev.keel.node.config.MemberIds;
import dev.keel.node.config.NodeConfig;
import dev.keel.node.config.Urls;
import dev.keel.node.disk.FileDisk;
import dev.keel.transport.tcp.PeerQuery;
import dev.keel.transport.tcp.PeerTls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who this member is. A founder's ID comes from its flags (etcd's computation); a member added by
 * {@code member add} has an ID the cluster chose, so on its first start ({@code --initial-cluster-state
 * existing}, empty data directory) it asks the members named in {@code --initial-cluster} over their peer ports
 * ({@link PeerQuery}) for the member list and finds itself by its peer URLs, as etcd's joining member does. The
 * identity is kept in {@code member/identity} in the data directory; later starts read it from there.
 */
final class ClusterJoin {
    /** How long a joining member keeps asking (the members it names may still be starting). */
    private static final long JOIN_DEADLINE_MILLIS = 30_000;
    private static final int QUERY_TIMEOUT_MILLIS = 2_000;

    private ClusterJoin() {
    }

    /**
     * @return {@code config} with the identity this member has
     * @throws NodeStartException when a joining member finds no member that lists it
     */
    static NodeConfig identify(NodeConfig config, FileDisk disk, java.util.function.Consumer<String> log) {
        return identify(config, disk, null, log);
    }

    /**
     * As {@link #identify(NodeConfig, FileDisk, java.util.function.Consumer)}, asking the members over TLS when
     * {@code tls} is set (their peer ports speak https).
     *
     * @param tls the peer port's TLS settings, or null for plaintext
     */
    static NodeConfig identify(NodeConfig config, FileDisk disk, PeerTls tls,
                               java.util.function.Consumer<String> log) {
        Path file = disk.dataDir().resolve("member").resolve("identity");
        if (Files.exists(file)) {
            return config.withIdentity(read(file));
        }
        if (config.newCluster() || disk.holdsData()) {
            write(file, config.memberId(), config.clusterId()); // a founder, or a data dir from before the file
            return config;
        }
        JoinedIdentity joined = ask(config, tls, log);
        write(file, joined.memberId(), joined.clusterId());
        return config.withIdentity(joined);
    }

    /** @return what a running member answers a joining member: the cluster ID and each member's peer URLs */
    static byte[] encodeAnswer(long clusterId, Map<Long, List<String>> peerUrls) {
        StringBuilder s = new StringBuilder("cluster ").append(MemberIds.hex(clusterId)).append('\n');
        peerUrls.forEach((id, urls) -> s.append(MemberIds.hex(id)).append(' ').append(String.join(",", urls))
                .append('\n'));
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@link #encodeAnswer}'s bytes; the cluster ID comes back under key 0. */
    static Map<Long, List<String>> decodeAnswer(byte[] answer) {
        Map<Long, List<String>> out = new LinkedHashMap<>();
        for (String line : new String(answer, StandardCharsets.UTF_8).split("\n")) {
            String[] parts = line.split(" ", 2);
            if (parts.length != 2) {
                continue;
            }
            if (parts[0].equals("cluster")) {
                out.put(0L, List.of(parts[1]));
            } else {
                out.put(Long.parseUnsignedLong(parts[0], 16), parts[1].isEmpty() ? List.of()
                        : List.of(parts[1].split(",")));
            }
        }
        return out;
    }

    private static JoinedIdentity ask(NodeConfig config, PeerTls tls, java.util.function.Consumer<String> log) {
        List<String> mine = sorted(config.initialAdvertisePeerUrls());
        List<String> targets = new ArrayList<>();
        for (String name : config.initialCluster().names()) {
            for (String url : config.initialCluster().peerUrls(name)) {
                if (!mine.contains(url)) {
                    targets.add(url);
                }
            }
        }
        if (targets.isEmpty()) {
            throw new NodeStartException("--initial-cluster-state existing: --initial-cluster names no other member "
                    + "to join (use the line `etcdctl member add` printed)");
        }
        long deadline = System.currentTimeMillis() + JOIN_DEADLINE_MILLIS;
        String lastProblem = "";
        while (true) {
            for (String url : targets) {
                try {
                    PeerQuery.Answer a = PeerQuery.ask(Urls.parse(url, "--initial-cluster"), config.clusterToken(),
                            QUERY_TIMEOUT_MILLIS, tls);
                    Map<Long, List<String>> members = decodeAnswer(a.info());
                    List<String> cluster = members.remove(0L);
                    for (Map.Entry<Long, List<String>> m : members.entrySet()) {
                        if (sorted(m.getValue()).equals(mine)) {
                            long clusterId = Long.parseUnsignedLong(cluster.get(0), 16);
                            log.accept("joining cluster " + cluster.get(0) + " as member " + MemberIds.hex(m.getKey())
                                    + " (member list from " + url + ")");
                            return new JoinedIdentity(m.getKey(), clusterId, members);
                        }
                    }
                    lastProblem = "the member at " + url + " does not list peer URLs " + String.join(",", mine)
                            + " (add this member first: etcdctl member add " + config.name() + " --peer-urls="
                            + String.join(",", mine) + ")";
                } catch (IOException | RuntimeException e) {
                    lastProblem = "cannot get the member list from " + url + ": " + e.getMessage();
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new NodeStartException("cannot join the cluster: " + lastProblem);
            }
            try {
                Thread.sleep(500); // a retry interval while the named members start, not a wait for a state
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NodeStartException("interrupted while joining the cluster", e);
            }
        }
    }

    private static List<String> sorted(List<String> urls) {
        List<String> s = new ArrayList<>(urls);
        s.sort(null);
        return s;
    }

    private static JoinedIdentity read(Path file) {
        try {
            long member = 0;
            long cluster = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("member=")) {
                    member = Long.parseUnsignedLong(line.substring(7), 16);
                } else if (line.startsWith("cluster=")) {
                    cluster = Long.parseUnsignedLong(line.substring(8), 16);
                }
            }
            if (member <= 0 || cluster <= 0) {
                throw new NodeStartException("the identity file " + file.toAbsolutePath() + " is incomplete");
            }
            return new JoinedIdentity(member, cluster, Map.of());
        } catch (IOException | NumberFormatException e) {
            throw new NodeStartException("cannot read the identity file " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    private static void write(Path file, long member, long cluster) {
        Path temp = file.resolveSibling("identity.tmp");
        try {
            Files.writeString(temp, "member=" + MemberIds.hex(member) + "\ncluster=" + MemberIds.hex(cluster) + "\n",
                    StandardCharsets.UTF_8);
            try (var ch = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new NodeStartException("cannot write the identity file " + file.toAbsolutePath() + ": " + e, e);
        }
    }
}
