package dev.keel.node.compat;

import com.linecorp.armeria.client.grpc.GrpcClients;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a cluster under test is, learnt from the cluster itself (etcd's or Keel's Cluster.MemberList): each
 * member's name, ID and addresses, and the cluster ID. The masks use it to replace what must differ between two
 * clusters (IDs, ports) by names.
 *
 * @param clusterId       the cluster's ID
 * @param ids             member name to ID, in the order of {@code clientEndpoints}
 * @param clientEndpoints member name to its client endpoint, {@code host:port}
 * @param peerEndpoints   member name to its peer endpoint, {@code host:port}
 */
public record ClusterFacts(long clusterId, Map<String, Long> ids, Map<String, String> clientEndpoints,
                           Map<String, String> peerEndpoints) {

    /** @return the client endpoint of the member named {@code name} */
    public String endpoint(String name) {
        String e = clientEndpoints.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no member named " + name + " in " + clientEndpoints.keySet());
        }
        return e;
    }

    /** @return every client endpoint, comma-separated, in member name order */
    public String allEndpoints() {
        return String.join(",", clientEndpoints.values());
    }

    /** @return the ID of the member named {@code name} */
    public long id(String name) {
        return ids.get(name);
    }

    /**
     * Asks the member at {@code endpoint} for the member list.
     *
     * @param names member names in the order to keep (etcd and Keel both list by ID)
     */
    public static ClusterFacts learn(String endpoint, List<String> names) {
        MemberListResponse list = cluster(endpoint).memberList(MemberListRequest.getDefaultInstance());
        Map<String, Member> byName = new LinkedHashMap<>();
        for (Member m : list.getMembersList()) {
            byName.put(m.getName(), m);
        }
        Map<String, Long> ids = new LinkedHashMap<>();
        Map<String, String> clients = new LinkedHashMap<>();
        Map<String, String> peers = new LinkedHashMap<>();
        for (String name : names) {
            Member m = byName.get(name);
            if (m == null || m.getClientURLsCount() == 0) {
                throw new IllegalStateException("member " + name + " is not (yet) listed with a client URL: " + list);
            }
            ids.put(name, m.getID());
            clients.put(name, URI.create(m.getClientURLs(0)).getAuthority());
            peers.put(name, URI.create(m.getPeerURLs(0)).getAuthority());
        }
        return new ClusterFacts(list.getHeader().getClusterId(), ids, clients, peers);
    }

    /** @return a blocking Maintenance stub for {@code endpoint} ({@code host:port}) */
    static MaintenanceGrpc.MaintenanceBlockingStub maintenance(String endpoint) {
        return GrpcClients.newClient("http://" + endpoint, MaintenanceGrpc.MaintenanceBlockingStub.class)
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    static ClusterGrpc.ClusterBlockingStub cluster(String endpoint) {
        return GrpcClients.newClient("http://" + endpoint, ClusterGrpc.ClusterBlockingStub.class)
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    /** @return each member's Status, in member order */
    public List<StatusResponse> statuses() {
        List<StatusResponse> out = new ArrayList<>();
        for (String e : clientEndpoints.values()) {
            out.add(maintenance(e).status(StatusRequest.getDefaultInstance()));
        }
        return out;
    }
}
