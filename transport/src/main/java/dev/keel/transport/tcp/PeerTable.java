package dev.keel.transport.tcp;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable set of peers, replaced whole when membership changes. Readers on any thread use it without
 * locks: {@link #get} never allocates (the kernel thread calls it on every send) and {@link #all} is a list, so
 * no thread ever shares the map's reused iterators.
 */
final class PeerTable {
    static final PeerTable EMPTY = new PeerTable(List.of());

    private final Long2ObjectHashMap<Peer> byId = new Long2ObjectHashMap<>();
    private final List<Peer> all;

    private PeerTable(List<Peer> peers) {
        this.all = List.copyOf(peers);
        for (Peer peer : all) {
            byId.put(peer.id, peer);
        }
    }

    /** @return the peer with that ID, or null */
    Peer get(long id) {
        return byId.get(id);
    }

    List<Peer> all() {
        return all;
    }

    /** @return a table with {@code peer} in place of any peer with its ID */
    PeerTable with(Peer peer) {
        List<Peer> peers = new ArrayList<>(all.size() + 1);
        for (Peer existing : all) {
            if (existing.id != peer.id) {
                peers.add(existing);
            }
        }
        peers.add(peer);
        return new PeerTable(peers);
    }

    /** @return a table without the peer with that ID */
    PeerTable without(long id) {
        List<Peer> peers = new ArrayList<>(all.size());
        for (Peer existing : all) {
            if (existing.id != id) {
                peers.add(existing);
            }
        }
        return new PeerTable(peers);
    }
}
