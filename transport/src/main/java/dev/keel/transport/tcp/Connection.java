package dev.keel.transport.tcp;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One TCP connection to a peer, owned by the I/O thread. The wire is a sequence of frames, each a big-endian
 * i32 length and that many bytes: first one {@link Handshake} each way, then encoded kernel messages, unchanged.
 *
 * <p>Reading fills a buffer and hands every complete frame to a {@link FrameSink}; the buffer grows only as far as
 * the frame limit of the connection's state (small until the handshake is done). Writing stages many frames
 * into one buffer so one socket write carries them all.
 */
final class Connection {
    enum State { CONNECTING, HANDSHAKING, ESTABLISHED, CLOSED }

    /** Receives each complete frame; the bytes are valid only during the call. */
    @FunctionalInterface
    interface FrameSink {
        void onFrame(Connection connection, DirectBuffer buffer, int offset, int length) throws ProtocolException;
    }

    static final int LENGTH_PREFIX_BYTES = Integer.BYTES;
    private static final int INITIAL_READ_BYTES = 64 * 1024;
    private static final int INITIAL_WRITE_BYTES = 256 * 1024;
    /** Reads per readiness event, so one busy peer cannot starve the others. */
    private static final int READS_PER_EVENT = 8;

    final SocketChannel channel;
    final boolean dialed;
    final SocketAddress remote;
    final long deadlineNanos;
    SelectionKey key;
    State state;
    /** The peer: known up front when dialed, learned from the handshake when accepted (0 until then). */
    long peerId;
    /** A {@link PeerQuery} this side answered: it closes quietly once the asker has read the answer. */
    boolean answeredQuery;
    /** Its refusal was already logged (with the reason), so closing it adds no second line. */
    boolean closeLogged;
    /** The link this connection serves, once it is established (or from the start, when dialed). */
    PeerLink link;

    private final int maxFrameBytes;
    private ByteBuffer readBuffer;
    private final UnsafeBuffer readView;
    private ByteBuffer writeBuffer;
    /** The TLS layer, or null for plaintext, whose bytes go straight between the socket and the buffers. */
    private final TlsChannel tls;

    /**
     * @param deadlineNanos when the connection must have finished its handshake ({@link System#nanoTime} base)
     */
    Connection(SocketChannel channel, boolean dialed, SocketAddress remote, long peerId, int maxFrameBytes,
               long deadlineNanos, TlsChannel tls) {
        this.channel = channel;
        this.tls = tls;
        this.dialed = dialed;
        this.remote = remote;
        this.peerId = peerId;
        this.maxFrameBytes = maxFrameBytes;
        this.deadlineNanos = deadlineNanos;
        this.state = dialed ? State.CONNECTING : State.HANDSHAKING;
        this.readBuffer = ByteBuffer.allocateDirect(INITIAL_READ_BYTES);
        this.readView = new UnsafeBuffer(readBuffer);
        this.writeBuffer = ByteBuffer.allocateDirect(Math.min(INITIAL_WRITE_BYTES, writeLimit()));
    }

    /** @return the longest frame payload accepted now: a handshake's until the handshake is done */
    int frameLimit() {
        return state == State.ESTABLISHED ? maxFrameBytes : Handshake.MAX_FRAME_BYTES;
    }

    /**
     * Reads what the socket has and hands complete frames to {@code sink}.
     *
     * @return false if the peer closed its end
     * @throws ProtocolException if a frame's length is out of bounds, or the sink refused a frame
     */
    boolean read(FrameSink sink) throws IOException, ProtocolException {
        // TLS may hold decrypted bytes no readiness event will announce: keep going while it delivers them.
        for (int i = 0; state != State.CLOSED && (i < READS_PER_EVENT || (tls != null && tls.hasBufferedInput()));
             i++) {
            int read = tls == null ? channel.read(readBuffer) : tls.read(readBuffer);
            if (read < 0) {
                return false;
            }
            if (read == 0) {
                break;
            }
            parseFrames(sink);
        }
        if (tls != null && state != State.CLOSED) {
            // Reading may have finished the TLS handshake (frames staged before it can go now) or made the
            // engine queue records of its own (a KeyUpdate answer, session tickets).
            flush();
            watchWrites(hasPendingWrites());
        }
        return true;
    }

    /** @return whether the TLS handshake is done (always true for plaintext) */
    boolean tlsHandshakeDone() {
        return tls == null || tls.handshakeDone();
    }

    private void parseFrames(FrameSink sink) throws ProtocolException {
        int needed = 0;
        readBuffer.flip();
        try {
            while (state != State.CLOSED && readBuffer.remaining() >= LENGTH_PREFIX_BYTES) {
                int start = readBuffer.position();
                int length = readBuffer.getInt(start);
                int limit = frameLimit();
                if (length <= 0 || length > limit) {
                    throw new ProtocolException("frame length " + length + " is outside 1.." + limit
                            + (tls == null && state != State.ESTABLISHED && looksLikeTls(start)
                            ? " (it looks like a TLS handshake: the peer uses TLS, this port is plaintext)" : ""));
                }
                if (readBuffer.remaining() < LENGTH_PREFIX_BYTES + length) {
                    needed = LENGTH_PREFIX_BYTES + length;
                    break;
                }
                readBuffer.position(start + LENGTH_PREFIX_BYTES + length);
                sink.onFrame(this, readView, start + LENGTH_PREFIX_BYTES, length);
            }
        } finally {
            readBuffer.compact();
        }
        if (needed > readBuffer.capacity()) {
            readBuffer = grow(readBuffer, needed, LENGTH_PREFIX_BYTES + limitOfAnyState());
            readView.wrap(readBuffer);
        }
    }

    /** @return whether the bytes at {@code start} begin a TLS handshake record (type 22, version 3.x) */
    private boolean looksLikeTls(int start) {
        return readBuffer.get(start) == 0x16 && readBuffer.get(start + 1) == 0x03;
    }

    private int limitOfAnyState() {
        return Math.max(maxFrameBytes, Handshake.MAX_FRAME_BYTES);
    }

    private int writeLimit() {
        return LENGTH_PREFIX_BYTES + limitOfAnyState();
    }

    /** @return a buffer of at least {@code needed} bytes (doubling, at most {@code max}) holding the old contents */
    private static ByteBuffer grow(ByteBuffer old, int needed, int max) {
        int capacity = (int) Math.min(max, Math.max(needed, 2L * old.capacity()));
        ByteBuffer bigger = ByteBuffer.allocateDirect(capacity);
        old.flip();
        bigger.put(old);
        return bigger;
    }

    /**
     * Stages one frame for writing.
     *
     * @return false if other frames already fill the staging buffer: flush, then try again
     */
    boolean stage(DirectBuffer buffer, int offset, int length) {
        int needed = LENGTH_PREFIX_BYTES + length;
        if (writeBuffer.remaining() < needed) {
            if (writeBuffer.position() > 0) {
                return false;
            }
            writeBuffer = grow(writeBuffer, needed, writeLimit());
        }
        int position = writeBuffer.position();
        writeBuffer.putInt(position, length);
        buffer.getBytes(offset, writeBuffer, position + LENGTH_PREFIX_BYTES, length);
        writeBuffer.position(position + needed);
        return true;
    }

    /** Stages a handshake frame; it goes out before anything staged after it. */
    void stageHandshake(Handshake handshake, byte[] tokenHash) {
        int needed = handshake.frameLength();
        if (writeBuffer.remaining() < needed) {
            writeBuffer = grow(writeBuffer, writeBuffer.position() + needed, writeLimit());
        }
        handshake.writeFrame(writeBuffer, tokenHash);
    }

    boolean hasPendingWrites() {
        return writeBuffer.position() > 0 || (tls != null && tls.hasPendingOutput());
    }

    /**
     * Writes staged frames until done or the socket's buffer is full.
     *
     * @return true if nothing is left staged
     */
    boolean flush() throws IOException {
        writeBuffer.flip();
        try {
            if (tls != null) {
                tls.write(writeBuffer);
            } else {
                while (writeBuffer.hasRemaining() && channel.write(writeBuffer) > 0) {
                    continue;
                }
            }
        } finally {
            writeBuffer.compact();
        }
        return !hasPendingWrites();
    }

    /** Asks the selector to report writability only while frames wait: a writable socket is the usual case. */
    void watchWrites(boolean watch) {
        if (tls != null && !tls.hasPendingOutput() && !tls.handshakeDone()) {
            // Staged frames wait for the TLS handshake, which moves on when the peer's records arrive.
            watch = false;
        }
        int ops = SelectionKey.OP_READ | (watch ? SelectionKey.OP_WRITE : 0);
        if (key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /** Closes the socket; idempotent. */
    void close() {
        if (tls != null && state != State.CLOSED) {
            tls.closeOutbound();
        }
        state = State.CLOSED;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing to do: the socket is being dropped either way.
        }
    }

    /** @return who this connection is with, for logs */
    String describe() {
        return (peerId != 0 ? "member " + Long.toHexString(peerId) + " " : "unidentified peer ") + remote;
    }
}
