package dev.keel.transport;

import org.agrona.DirectBuffer;

import java.util.TreeMap;

/** A {@link Router} that delivers every message at once to the registered transport of its target. */
public final class DirectRouter implements Router {
    private final TreeMap<Long, InMemoryTransport> members = new TreeMap<>();

    /** @return a new transport for {@code id}, registered with this router */
    public InMemoryTransport connect(long id, int maxQueued) {
        InMemoryTransport transport = new InMemoryTransport(id, this, maxQueued);
        members.put(id, transport);
        return transport;
    }

    @Override
    public boolean route(long from, long to, DirectBuffer buffer, int offset, int length) {
        InMemoryTransport target = members.get(to);
        return target != null && target.deliver(from, buffer, offset, length);
    }
}
