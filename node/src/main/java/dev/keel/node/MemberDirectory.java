package dev.keel.node;

import dev.keel.kernel.raft.ConfState;
import dev.keel.node.config.NodeConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Names and URLs of the members, for {@code member list}: peer URLs from the replicated member registry (a
 * founder's from {@code --initial-cluster} when the registry has none: a cluster founded before the registry
 * existed), this member's name and client URLs from its flags, and each peer's name and client URLs from what it
 * said when its connection opened (the transport's member info). A member never heard from is shown unstarted
 * (no name, no client URLs), as etcd shows members that have not published themselves yet. Kernel thread only.
 */
final class MemberDirectory {
    private final long self;
    private final NodeConfig config;
    private final Map<Long, List<String>> peerUrls = new HashMap<>();
    private Map<Long, List<String>> registry = Map.of();
    private final LongFunction<byte[]> peerInfo;

    MemberDirectory(NodeConfig config, LongFunction<byte[]> peerInfo) {
        this.self = config.memberId();
        this.config = config;
        this.peerInfo = peerInfo;
        config.initialMemberIds().forEach((name, id) -> peerUrls.put(id, config.initialCluster().peerUrls(name)));
        peerUrls.put(self, config.initialAdvertisePeerUrls());
    }

    /** The replicated registry changed: these are every member's peer URLs now. */
    void registryChanged(Map<Long, List<String>> urls) {
        registry = Map.copyOf(urls);
    }

    /** @return the peer URLs known for {@code id} (empty when none) */
    List<String> peerUrls(long id) {
        List<String> r = registry.get(id);
        return r != null && !r.isEmpty() ? r : peerUrls.getOrDefault(id, List.of());
    }

    /** @return the peer URLs of every member of {@code conf} */
    Map<Long, List<String>> peerUrlsOf(ConfState conf) {
        Map<Long, List<String>> out = new java.util.TreeMap<>();
        for (MemberListing.Member m : list(conf)) {
            out.put(m.id(), m.peerUrls());
        }
        return out;
    }

    /** @return what this member tells its peers about itself: name and client URLs */
    static byte[] encodeInfo(NodeConfig config) {
        String s = config.name() + "\n" + String.join(",", config.advertiseClientUrls()) + "\n"
                + String.join(",", config.initialAdvertisePeerUrls());
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the members of {@code conf} in ID order (unsigned, as etcd lists them), each with what is known */
    List<MemberListing.Member> list(ConfState conf) {
        List<MemberListing.Member> out = new ArrayList<>();
        for (int i = 0; i < conf.voterCount(); i++) {
            out.add(member(conf.voter(i), false));
        }
        for (int i = 0; i < conf.learnerCount(); i++) {
            out.add(member(conf.learner(i), true));
        }
        out.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
        return out;
    }

    private MemberListing.Member member(long id, boolean learner) {
        if (id == self) {
            return new MemberListing.Member(id, config.name(), peerUrls(id), config.advertiseClientUrls(), learner);
        }
        byte[] info = peerInfo.apply(id);
        List<String> peers = peerUrls(id);
        if (info == null) {
            return new MemberListing.Member(id, "", peers, List.of(), learner);
        }
        String[] parts = new String(info, StandardCharsets.UTF_8).split("\n", -1);
        String name = parts[0];
        List<String> clients = parts.length > 1 ? split(parts[1]) : List.of();
        if (parts.length > 2 && peers.isEmpty()) {
            peers = split(parts[2]);
        }
        return new MemberListing.Member(id, name, peers, clients, learner);
    }

    /** @return the name {@code id} told when it connected (empty if never heard from) */
    String nameOf(long id) {
        return member(id, false).name();
    }

    /** @return the client URLs {@code id} advertised (this member's from its flags; empty if never heard from) */
    List<String> clientUrls(long id) {
        return member(id, false).clientUrls();
    }

    private static List<String> split(String csv) {
        return csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
    }
}
