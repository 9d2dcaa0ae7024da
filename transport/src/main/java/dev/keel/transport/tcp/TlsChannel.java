package dev.keel.transport.tcp;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The TLS layer of one peer connection: an {@link SSLEngine} between the socket and the connection's frame
 * buffers, owned by the I/O thread. {@link #read} turns socket bytes into plaintext, {@link #write} plaintext into
 * socket bytes; both also drive whatever the engine asks for first (the initial handshake, a TLS 1.2
 * renegotiation, a TLS 1.3 KeyUpdate or session ticket), so the connection need not know those exist.
 *
 * <p>Delegated tasks (certificate checks, key exchange) run inline on the I/O thread: they take around a
 * millisecond, and a worker pool would only add a hand-off back to the selector.
 *
 * <p>Buffers are in read mode between calls: {@code netIn} holds socket bytes not yet decrypted, {@code appIn}
 * plaintext the connection has not taken yet, {@code netOut} encrypted bytes the socket has not taken yet.
 */
final class TlsChannel {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** etcd's peer port speaks TLS 1.2 and 1.3 (Go's defaults); older versions are refused. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** Socket reads per call, as for plaintext, so one busy peer cannot starve the others. */
    private static final int READS_PER_CALL = 8;

    private final SocketChannel channel;
    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;
    private boolean handshakeDone;
    private boolean inboundClosed;

    TlsChannel(SocketChannel channel, SSLEngine engine) throws SSLException {
        this.channel = channel;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocateDirect(packet).flip();
        this.netOut = ByteBuffer.allocateDirect(packet).flip();
        this.appIn = ByteBuffer.allocateDirect(engine.getSession().getApplicationBufferSize()).flip();
        engine.beginHandshake();
    }

    /**
     * Starts TLS on a new connection with a context fetched now, so a reloaded certificate applies from the next
     * connection on while existing ones keep theirs.
     *
     * @param tls    the peer port's TLS settings, or null for plaintext (then there is no TLS layer: null)
     * @param dialed whether this side dialled (TLS client) or accepted (TLS server)
     * @param remote the peer as dialled: when this side dialled, the peer's certificate must name its host (an IP
     *               or DNS subject alternative name), as etcd's peers check the peer URL's host
     */
    static TlsChannel openIfEnabled(SocketChannel channel, PeerTls tls, boolean dialed, InetSocketAddress remote)
            throws SSLException {
        if (tls == null) {
            return null;
        }
        SSLContext context = tls.context().get();
        SSLEngine engine = dialed ? context.createSSLEngine(remote.getHostString(), remote.getPort())
                : context.createSSLEngine();
        engine.setUseClientMode(dialed);
        if (dialed) {
            verifyHostName(engine);
        } else {
            engine.setNeedClientAuth(tls.requireClientCert());
        }
        engine.setEnabledProtocols(PROTOCOLS);
        if (!tls.cipherSuites().isEmpty()) {
            engine.setEnabledCipherSuites(tls.cipherSuites().toArray(String[]::new));
        }
        return new TlsChannel(channel, engine);
    }

    /**
     * Has the TLS client check the server certificate's subject alternative names against the host it dialled
     * (RFC 2818 rules, done by the JDK's trust manager), as Go's TLS client does for etcd's peers. A trust
     * manager that accepts any chain ({@code --peer-auto-tls}) skips this along with everything else.
     */
    static void verifyHostName(SSLEngine engine) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
    }

    /**
     * Checks a configuration before any connection uses it.
     *
     * @throws IllegalArgumentException naming every cipher suite this JVM does not support
     */
    static void checkCipherSuites(PeerTls tls) {
        if (tls.cipherSuites().isEmpty()) {
            return;
        }
        List<String> supported;
        try {
            supported = Arrays.asList(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no default TLS context", e);
        }
        List<String> unknown = new ArrayList<>();
        for (String suite : tls.cipherSuites()) {
            if (!supported.contains(suite)) {
                unknown.add(suite);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("cipher suites not supported by this JVM: "
                    + String.join(", ", unknown));
        }
    }

    /** @return whether the first handshake finished, so application data flows */
    boolean handshakeDone() {
        return handshakeDone;
    }

    /** @return whether wrapped bytes wait for the socket to take them */
    boolean hasPendingOutput() {
        return netOut.hasRemaining();
    }

    /** @return whether decrypted or received bytes wait that a read can deliver without the socket */
    boolean hasBufferedInput() {
        return appIn.hasRemaining() || netIn.hasRemaining();
    }

    /**
     * Reads from the socket and moves plaintext into {@code target} as far as it has room.
     *
     * @return bytes added to {@code target}, or -1 once the peer closed (socket end or close_notify) and
     *         nothing buffered is left
     * @throws SSLException if the handshake fails or the peer's bytes are not valid TLS
     */
    int read(ByteBuffer target) throws IOException {
        int moved = drainAppIn(target);
        for (int reads = 0; reads < READS_PER_CALL && target.hasRemaining() && !inboundClosed; reads++) {
            if (!unwrapBuffered()) {
                int read = readSocket();
                if (read < 0) {
                    return endOfStream(moved);
                }
                if (read == 0) {
                    break;
                }
                continue;
            }
            moved += drainAppIn(target);
        }
        // What is already decrypted must not wait for another readiness event that may never come.
        while (target.hasRemaining() && unwrapBuffered()) {
            moved += drainAppIn(target);
        }
        return moved == 0 && inboundClosed && !appIn.hasRemaining() ? -1 : moved;
    }

    /** @return whether plaintext waits in {@link #appIn}; false if a socket read is needed first */
    private boolean unwrapBuffered() throws IOException {
        if (inboundClosed || appIn.hasRemaining()) {
            return appIn.hasRemaining();
        }
        while (netIn.hasRemaining()) {
            appIn.compact();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
            }
            switch (result.getStatus()) {
                case BUFFER_UNDERFLOW -> {
                    growNetInFor(engine.getSession().getPacketBufferSize());
                    return false;
                }
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case CLOSED -> {
                    // close_notify: answer it (best effort) and report the end once the plaintext is taken.
                    inboundClosed = true;
                    closeOutbound();
                    return appIn.hasRemaining();
                }
                case OK -> {
                    // Plaintext, or a handshake message that produced none.
                }
            }
            driveHandshake(result.getHandshakeStatus());
            if (appIn.hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    private int readSocket() throws IOException {
        netIn.compact();
        try {
            return channel.read(netIn);
        } finally {
            netIn.flip();
        }
    }

    private int endOfStream(int moved) throws SSLException {
        inboundClosed = true;
        if (!handshakeDone) {
            throw new SSLHandshakeException("the peer closed the connection during the TLS handshake"
                    + " (it may not speak TLS, or it refused this member's certificate)");
        }
        return moved > 0 ? moved : -1;
    }

    private int drainAppIn(ByteBuffer target) {
        int count = Math.min(appIn.remaining(), target.remaining());
        if (count == 0) {
            return 0;
        }
        int limit = appIn.limit();
        appIn.limit(appIn.position() + count);
        target.put(appIn);
        appIn.limit(limit);
        return count;
    }

    /**
     * Wraps as much of {@code source} (read mode) as the engine and socket take, after any handshake records.
     *
     * @return true if nothing is left: {@code source} empty and every wrapped byte written
     */
    boolean write(ByteBuffer source) throws IOException {
        driveHandshake(engine.getHandshakeStatus());
        if (!flushNet()) {
            return false;
        }
        while (handshakeDone && source.hasRemaining()) {
            SSLEngineResult result = wrap(source);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = grow(netOut, engine.getSession().getPacketBufferSize());
                continue;
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS session closed while writing");
            }
            driveHandshake(result.getHandshakeStatus());
            if (!flushNet()) {
                return false;
            }
            if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                // A renegotiation waits for the peer's records; the next read moves it on.
                return false;
            }
        }
        return !source.hasRemaining() && !netOut.hasRemaining();
    }

    /**
     * Does what the engine asks that needs no socket read: runs delegated tasks, wraps handshake records into
     * {@link #netOut} and writes them. Stops when it needs the peer's bytes or the socket is full.
     */
    private void driveHandshake(SSLEngineResult.HandshakeStatus status) throws IOException {
        SSLEngineResult.HandshakeStatus current = status;
        while (true) {
            switch (current) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    current = engine.getHandshakeStatus();
                }
                case NEED_WRAP -> {
                    if (!wrapHandshake()) {
                        return;
                    }
                    current = engine.getHandshakeStatus();
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    handshakeDone = true;
                    return;
                }
                default -> {
                    // NEED_UNWRAP: only the peer's next bytes move it on (NEED_UNWRAP_AGAIN is DTLS only).
                    return;
                }
            }
        }
    }

    /** Wraps {@code source} after what {@link #netOut} still holds; netOut is left ready to be written. */
    private SSLEngineResult wrap(ByteBuffer source) throws SSLException {
        netOut.compact();
        try {
            return engine.wrap(source, netOut);
        } finally {
            netOut.flip();
        }
    }

    /** @return false if the socket is full (the caller waits for writability) or the engine closed */
    private boolean wrapHandshake() throws IOException {
        SSLEngineResult result = wrap(EMPTY);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            if (!flushNet()) {
                return false;
            }
            netOut = grow(netOut, engine.getSession().getPacketBufferSize());
            return true;
        }
        return flushNet() && result.getStatus() != SSLEngineResult.Status.CLOSED;
    }

    /** @return true if every wrapped byte reached the socket */
    private boolean flushNet() throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sends what the engine has to say before the socket closes — close_notify, or the alert that tells the peer
     * why its handshake failed — if the socket takes it at once; never waits.
     */
    void closeOutbound() {
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                netOut.compact();
                SSLEngineResult result;
                try {
                    result = engine.wrap(EMPTY, netOut);
                } finally {
                    netOut.flip();
                }
                if (result.bytesProduced() == 0) {
                    break;
                }
            }
            flushNet();
        } catch (IOException | RuntimeException e) {
            // The socket is being dropped; the peer learns from the close instead.
        }
    }

    /** A partial record always fits once compacted, unless the session raised its record size. */
    private void growNetInFor(int packetSize) {
        if (netIn.capacity() < packetSize) {
            netIn = grow(netIn, packetSize);
        }
    }

    /** @return a buffer in read mode with the old pending bytes and at least {@code room} free after them */
    private static ByteBuffer grow(ByteBuffer old, int room) {
        ByteBuffer bigger = ByteBuffer.allocateDirect(old.remaining() + room);
        bigger.put(old);
        return bigger.flip();
    }
}
