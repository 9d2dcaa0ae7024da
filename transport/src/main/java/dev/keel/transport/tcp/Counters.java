package dev.keel.transport.tcp;

import java.util.concurrent.atomic.AtomicLong;

/** The live counters behind {@link TcpTransportStats}; written by the kernel and I/O threads, read by any. */
final class Counters {
    final AtomicLong queued = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong droppedQueueFull = new AtomicLong();
    final AtomicLong droppedDisconnected = new AtomicLong();
    final AtomicLong droppedOverflow = new AtomicLong();
    final AtomicLong droppedTooLarge = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final AtomicLong droppedInbound = new AtomicLong();
    final AtomicLong connectionsOpened = new AtomicLong();
    final AtomicLong connectionsClosed = new AtomicLong();
    final AtomicLong handshakesRejected = new AtomicLong();
    final AtomicLong decodeFailures = new AtomicLong();
    final AtomicLong tlsHandshakesFailed = new AtomicLong();

    TcpTransportStats snapshot() {
        return new TcpTransportStats(queued.get(), sent.get(), droppedQueueFull.get(), droppedDisconnected.get(),
                droppedOverflow.get(), droppedTooLarge.get(), received.get(), droppedInbound.get(),
                connectionsOpened.get(), connectionsClosed.get(), handshakesRejected.get(), decodeFailures.get(),
                tlsHandshakesFailed.get());
    }
}
