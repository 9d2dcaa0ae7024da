package dev.keel.transport;

import org.agrona.DirectBuffer;

/**
 * Moves encoded kernel messages (the exact bytes {@code RaftNode} produced) between cluster members. A host
 * owns one transport: it hands every message of a {@code Ready} to {@link #send} and feeds what
 * {@link #poll} delivers to {@code RaftNode.step}. Delivery is best effort — messages may be lost, delayed,
 * duplicated or reordered, which Raft tolerates — but bytes are never altered.
 *
 * <p>Implementations: {@link InMemoryTransport} (the simulator and tests, one process) and the node's TCP
 * transport (one connection per peer, length-prefixed frames). Neither is thread-safe unless it says so; the
 * host calls a transport from its kernel thread.
 */
public interface Transport extends AutoCloseable {
    /** @return the member ID this transport sends as */
    long localId();

    /**
     * Sends one message; the bytes are copied before this returns.
     *
     * @return false if the message was not accepted (unknown peer, or its queue is full); Raft will retry
     */
    boolean send(long to, DirectBuffer buffer, int offset, int length);

    /**
     * Hands received messages to {@code handler}, oldest first.
     *
     * @return how many were delivered (at most {@code limit})
     */
    int poll(MessageHandler handler, int limit);

    @Override
    void close();
}
