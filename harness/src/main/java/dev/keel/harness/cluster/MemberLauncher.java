package dev.keel.harness.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Makes the processes of new members: ports picked, a proxy in front of each peer port, the command line
 * ({@link ClusterOptions#launcher()}, etcd's flags, {@link ClusterOptions#extraFlags()}) and the environment
 * (clock faults). Names are {@code n1, n2, ...}, handed out once each.
 */
final class MemberLauncher {
    /** A member's name and ports before its process exists. */
    record Slot(String name, int clientPort, int listenPeerPort, int advertisedPeerPort) {
        String peerUrl() {
            return MemberProcess.peerUrl(advertisedPeerPort);
        }
    }

    private final ClusterOptions options;
    private final ProxyNetwork network;
    private final Function<String, Map<String, String>> environment;
    private final String token;
    private int nextNumber = 1;

    /** @param environment the extra environment of a member, by name */
    MemberLauncher(ClusterOptions options, ProxyNetwork network, Function<String, Map<String, String>> environment,
                   String token) {
        this.options = options;
        this.network = network;
        this.environment = environment;
        this.token = token;
    }

    /** @return a new name with its ports, its proxy already listening */
    synchronized Slot reserve() {
        String name = "n" + nextNumber++;
        int[] ports = FreePorts.pick(2);
        int advertised = network.addProxy(name, ports[1]);
        return new Slot(name, ports[0], ports[1], advertised);
    }

    /** @return {@code name=url,...} for {@code slots}, as {@code --initial-cluster} takes it */
    static String initialCluster(List<Slot> slots) {
        List<String> entries = new ArrayList<>();
        for (Slot slot : slots) {
            entries.add(slot.name() + "=" + slot.peerUrl());
        }
        return String.join(",", entries);
    }

    /**
     * @param initialCluster its {@code --initial-cluster}
     * @param newCluster     whether it founds the cluster ({@code new}) or joins it ({@code existing})
     * @return the member's process, not started
     */
    MemberProcess process(Slot slot, String initialCluster, boolean newCluster) {
        List<String> command = new ArrayList<>(options.launcher());
        command.addAll(MemberProcess.flags(slot.name(), options.dir().resolve(slot.name() + ".keel"),
                slot.clientPort(), slot.listenPeerPort(), slot.advertisedPeerPort(), initialCluster, newCluster,
                token));
        command.addAll(options.extraFlags());
        return new MemberProcess(slot.name(), slot.clientPort(), slot.advertisedPeerPort(),
                options.dir().resolve(slot.name() + ".log"), command, environment.apply(slot.name()));
    }
}
