package dev.keel.node.config;

import java.util.List;
import java.util.Map;

/**
 * Who a member is when the cluster, not its flags, says so: a member added by {@code member add} gets an ID
 * computed from its peer URLs and the time of the add (never reused), which it learns from a running member
 * when it first starts ({@code --initial-cluster-state existing}) and keeps in its data directory.
 *
 * @param memberId  this member's ID
 * @param clusterId the cluster's ID
 * @param peerUrls  the members known when it joined, by ID (empty on a restart: the replicated registry has them)
 */
public record JoinedIdentity(long memberId, long clusterId, Map<Long, List<String>> peerUrls) {
    public JoinedIdentity {
        peerUrls = Map.copyOf(peerUrls);
    }
}
