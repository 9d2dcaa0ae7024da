package dev.keel.kernel.raft;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** A message in flight in a test network: the exact bytes a node produced. */
record Envelope(long from, long to, byte type, byte[] bytes) {
    static Envelope copyOf(Ready ready, int i) {
        byte[] bytes = new byte[ready.messageLength(i)];
        ready.messageBuffer().getBytes(ready.messageOffset(i), bytes);
        DirectBuffer view = new UnsafeBuffer(bytes);
        return new Envelope(view.getLong(MessageLayout.FROM_OFFSET, MessageLayout.ORDER), ready.messageTo(i),
                ready.messageType(i), bytes);
    }
}
