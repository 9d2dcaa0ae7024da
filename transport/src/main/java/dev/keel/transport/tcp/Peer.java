package dev.keel.transport.tcp;

import java.net.InetSocketAddress;

/**
 * What the kernel thread and the I/O thread share about one peer: its outbound queue (kernel thread produces,
 * I/O thread consumes) and whether a handshaken connection to it is up.
 */
final class Peer {
    final long id;
    final InetSocketAddress address;
    final MessageRing outbound;
    /** Written by the I/O thread; {@code send} refuses at once while it is false instead of queueing. */
    volatile boolean linked;

    Peer(long id, InetSocketAddress address, MessageRing outbound) {
        this.id = id;
        this.address = address;
        this.outbound = outbound;
    }
}
