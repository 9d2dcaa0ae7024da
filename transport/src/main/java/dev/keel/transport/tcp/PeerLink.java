package dev.keel.transport.tcp;

/** The I/O thread's view of one peer: its connection, if any, and when to dial it next. */
final class PeerLink {
    final Peer peer;
    /** The member with the lower ID dials; the higher one accepts, so each pair has one connection. */
    final boolean dials;
    final Backoff backoff;
    /** The live connection (dialing, handshaking or established), or null. */
    Connection connection;
    long nextDialNanos;
    /** A dial already failed since the last success: further failures are not logged, to keep logs readable. */
    boolean failureLogged;

    PeerLink(Peer peer, boolean dials, Backoff backoff, long nowNanos) {
        this.peer = peer;
        this.dials = dials;
        this.backoff = backoff;
        this.nextDialNanos = nowNanos;
    }

    boolean established() {
        return connection != null && connection.state == Connection.State.ESTABLISHED;
    }
}
