package dev.keel.transport;

import org.agrona.DirectBuffer;

/**
 * Decides what happens to a message an {@link InMemoryTransport} sends: {@link DirectRouter} delivers it at
 * once; the simulator's network delays, drops, duplicates or partitions it and delivers it later with
 * {@link InMemoryTransport#deliver}.
 */
@FunctionalInterface
public interface Router {
    /** @return false if the message was refused outright (no such peer) */
    boolean route(long from, long to, DirectBuffer buffer, int offset, int length);
}
