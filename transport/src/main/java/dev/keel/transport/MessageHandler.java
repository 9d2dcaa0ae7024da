package dev.keel.transport;

import org.agrona.DirectBuffer;

/** Receives messages from {@link Transport#poll}. The bytes are valid only during the call. */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(long from, DirectBuffer buffer, int offset, int length);
}
