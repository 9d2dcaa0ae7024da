package dev.keel.node;

import dev.keel.node.config.MemberIds;
import dev.keel.node.config.Urls;
import dev.keel.transport.tcp.TcpTransport;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps the transport's peers in step with the replicated member registry: a member added (or moved by
 * {@code member update}) is dialed at its first peer URL. A removed member stays a peer, so the replica can
 * still tell it that it was removed — unless a member added later took over its address (a replacement at the
 * same URL), which would otherwise be dialed under the old ID. Also publishes the answer a joining member gets
 * over the peer port. Kernel thread, except {@link #answer()} (the transport's I/O thread).
 */
final class PeerSync {
    private final long self;
    private final long clusterId;
    private final TcpTransport transport;
    private final Consumer<String> log;
    /** Peers the transport has, with the address it dials. */
    private final Map<Long, InetSocketAddress> dialed = new HashMap<>();
    private volatile byte[] answer;

    PeerSync(long self, long clusterId, TcpTransport transport, Map<Long, InetSocketAddress> initialPeers,
             Consumer<String> log) {
        this.self = self;
        this.clusterId = clusterId;
        this.transport = transport;
        this.log = log;
        this.dialed.putAll(initialPeers);
    }

    /**
     * @param registry every member's peer URLs as the registry holds them now
     * @param members  the members of the configuration, with their peer URLs (what a joining member is told)
     */
    void update(Map<Long, List<String>> registry, Map<Long, List<String>> members) {
        Map<InetSocketAddress, Long> taken = new HashMap<>();
        registry.forEach((id, urls) -> {
            if (id == self || urls.isEmpty()) {
                return;
            }
            InetSocketAddress address;
            try {
                address = Urls.parse(urls.get(0), "a member's peer URL");
            } catch (IllegalArgumentException e) {
                log.accept("member " + MemberIds.hex(id) + " has an unusable peer URL " + urls.get(0));
                return;
            }
            taken.put(address, id);
            if (!address.equals(dialed.get(id))) {
                dialed.put(id, address);
                transport.addPeer(id, address);
                log.accept("peer " + MemberIds.hex(id) + " at " + urls.get(0));
            }
        });
        dialed.entrySet().removeIf(e -> {
            Long owner = taken.get(e.getValue());
            if (!registry.containsKey(e.getKey()) && owner != null && owner != e.getKey().longValue()) {
                transport.removePeer(e.getKey());
                return true;
            }
            return false;
        });
        answer = ClusterJoin.encodeAnswer(clusterId, members);
    }

    /** @return whether a handshaken connection to member {@code id} is up now (this member itself: true) */
    boolean connected(long id) {
        return id == self || transport.isConnected(id);
    }

    /** @return what a joining member is told (null until the registry was first read: the query is refused) */
    byte[] answer() {
        return answer;
    }
}
