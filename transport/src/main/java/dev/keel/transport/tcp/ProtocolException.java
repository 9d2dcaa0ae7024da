package dev.keel.transport.tcp;

/** A peer broke the wire protocol (bad frame, bad handshake, invalid message); its connection is closed. */
final class ProtocolException extends Exception {
    ProtocolException(String message) {
        super(message, null, false, false);
    }
}
