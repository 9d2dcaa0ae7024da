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
 * Names and URLs of the members, for {@code member list}: this member's from its flags, the founders' peer URLs
 * from {@code --initial-cluster}, and each peer's name and client URLs from what it said when its connection
 * opened (the transport's member info). A member never heard from is shown unstarted (no name, no client URLs),
 * as etcd shows members that have not published themselves yet.
 */
final class MemberDirectory {
    private final long self;
    private final NodeConfig config;
    private final Map<Long, List<String>> peerUrls = new HashMap<>();
    private final LongFunction<byte[]> peerInfo;

    MemberDirectory(NodeConfig config, LongFunction<byte[]> peerInfo) {
        this.self = config.memberId();
        this.config = config;
        this.peerInfo = peerInfo;
        config.initialMemberIds().forEach((name, id) -> peerUrls.put(id, config.initialCluster().peerUrls(name)));
        peerUrls.put(self, config.initialAdvertisePeerUrls());
    }

    /** @return what this member tells its peers about itself: name and client URLs */
    static byte[] encodeInfo(NodeConfig config) {
        String s = config.name() + "\n" + String.join(",", config.advertiseClientUrls()) + "\n"
                + String.join(",", config.initialAdvertisePeerUrls());
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the members of {@code conf}, voters then learners, each with what is known of it */
    List<MemberListing.Member> list(ConfState conf) {
        List<MemberListing.Member> out = new ArrayList<>();
        for (int i = 0; i < conf.voterCount(); i++) {
            out.add(member(conf.voter(i), false));
        }
        for (int i = 0; i < conf.learnerCount(); i++) {
            out.add(member(conf.learner(i), true));
        }
        return out;
    }

    private MemberListing.Member member(long id, boolean learner) {
        if (id == self) {
            return new MemberListing.Member(id, config.name(), config.initialAdvertisePeerUrls(),
                    config.advertiseClientUrls(), learner);
        }
        byte[] info = peerInfo.apply(id);
        List<String> peers = peerUrls.getOrDefault(id, List.of());
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

    /** @return the client URLs {@code id} advertised (this member's from its flags; empty if never heard from) */
    List<String> clientUrls(long id) {
        return member(id, false).clientUrls();
    }

    private static List<String> split(String csv) {
        return csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
    }
}
