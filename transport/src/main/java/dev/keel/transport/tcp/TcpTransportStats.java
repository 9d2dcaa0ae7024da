package dev.keel.transport.tcp;

/**
 * A snapshot of a {@link TcpTransport}'s counters, each counting since the transport was created.
 *
 * @param messagesQueued              messages {@code send} accepted
 * @param messagesSent                messages the I/O thread handed to a connection's socket buffer
 * @param messagesDroppedQueueFull    {@code send} refused: the peer's queue had no room
 * @param messagesDroppedDisconnected {@code send} refused (no connection, or unknown peer), or queued messages
 *                                    discarded because the connection went down
 * @param messagesDroppedOverflow     oldest queued messages discarded because the peer stopped reading
 * @param messagesDroppedTooLarge     {@code send} refused: longer than the maximum frame
 * @param messagesReceived            messages read from peers and queued for {@code poll}
 * @param messagesDroppedInbound      messages read from peers but dropped because the inbound queue was full
 * @param connectionsOpened           connections that completed the handshake
 * @param connectionsClosed           handshaken connections that closed, for any reason
 * @param handshakesRejected          connections closed during the handshake (bad token, unexpected ID, ...)
 * @param decodeFailures              handshaken connections closed for a bad frame or an invalid message
 * @param tlsHandshakesFailed         connections, dialled or accepted, whose TLS handshake failed (untrusted or
 *                                    missing certificate, plaintext on a TLS port, no common cipher suite ...)
 */
public record TcpTransportStats(
        long messagesQueued,
        long messagesSent,
        long messagesDroppedQueueFull,
        long messagesDroppedDisconnected,
        long messagesDroppedOverflow,
        long messagesDroppedTooLarge,
        long messagesReceived,
        long messagesDroppedInbound,
        long connectionsOpened,
        long connectionsClosed,
        long handshakesRejected,
        long decodeFailures,
        long tlsHandshakesFailed) {
}
