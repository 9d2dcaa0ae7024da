package dev.keel.transport.tcp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Accepted connections that have not yet said who they are, oldest first. At most {@link #MAX} wait at once: a
 * newcomer beyond that evicts the one that has waited longest, not itself, because a member's handshake takes
 * milliseconds, so idle strangers cannot lock members out for a whole handshake timeout. Owned by the I/O thread.
 */
final class Strangers {
    /** The most connections waiting for a handshake at once. */
    static final int MAX = 64;

    private final List<Connection> waiting = new ArrayList<>(MAX);

    /** @return the connection to close so that one more fits, or null if there is room */
    Connection oldestIfFull() {
        return waiting.size() >= MAX ? waiting.get(0) : null;
    }

    /** Adds a newcomer; the caller has made room with {@link #oldestIfFull}. */
    void add(Connection connection) {
        waiting.add(connection);
    }

    /** Forgets a connection: identified, or closed. */
    void remove(Connection connection) {
        waiting.remove(connection);
    }

    /**
     * Hands each connection whose handshake deadline has passed to {@code expired} (which must close it, and so
     * {@link #remove} it).
     *
     * @return the earliest deadline still ahead, or {@code horizon} if it comes first
     */
    long expire(long now, long horizon, Consumer<Connection> expired) {
        long next = horizon;
        for (int i = waiting.size() - 1; i >= 0; i--) {
            Connection connection = waiting.get(i);
            if (now - connection.deadlineNanos >= 0) {
                expired.accept(connection);
            } else if (connection.deadlineNanos - next < 0) {
                next = connection.deadlineNanos;
            }
        }
        return next;
    }

    /** Closes every waiting connection (the transport is stopping). */
    void closeAll() {
        for (Connection connection : waiting) {
            connection.close();
        }
        waiting.clear();
    }
}
