package dev.keel.transport.tcp;

import dev.keel.kernel.raft.MessageLayout;
import dev.keel.transport.MessageHandler;
import dev.keel.transport.Transport;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A {@link Transport} over TCP: one connection per peer pair (the member with the lower ID dials, the higher one
 * accepts), carrying the kernel's encoded messages unchanged in length-prefixed frames after a handshake that
 * checks the cluster token and both member IDs (see {@link Handshake}).
 *
 * <p>Threads: {@link #send} and {@link #poll} belong to one thread, the node's kernel thread. The transport owns
 * one I/O thread (a NIO selector, non-blocking sockets) that accepts, dials, reads and writes. Between the two,
 * messages pass through Agrona ring buffers — one bounded queue per peer outbound, one inbound — with no lock on
 * the message path. {@link #addPeer}, {@link #removePeer}, {@link #peerInfo}, {@link #isConnected},
 * {@link #stats} and {@link #close} may be called from any thread.
 *
 * <p>Memory is bounded: a peer that stops reading fills its socket buffer, then its queue, and the I/O thread
 * drops the oldest queued messages (Raft resends); a peer without a connection has its messages refused and its
 * queue emptied. Reconnects back off exponentially (50 ms doubling to 2 s, reset by a successful handshake).
 * A peer that sends something invalid — a bad frame length, a handshake with the wrong token or an unexpected
 * member ID, a message the kernel's {@code MessageDecoder} rejects, a frame that is neither a kernel message nor
 * a replica frame (see {@link #REPLICA_FRAME_MAGIC}), or one whose sender is not the connection's peer — loses
 * that connection with one log line; the transport and its other connections carry on.
 */
public final class TcpTransport implements Transport {
    /** Room for a 4 MiB message plus headers; the kernel's snapshot chunks and appends are far smaller. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024 + 64 * 1024;
    /** Per-peer outbound queue; the inbound queue is twice this. */
    public static final int DEFAULT_QUEUE_CAPACITY_BYTES = 8 * 1024 * 1024;

    /**
     * First byte of the replica's own peer frames (its {@code ForwardFrame}), which share the transport with the
     * kernel's messages; a test in the replica module pins the two together.
     */
    public static final byte REPLICA_FRAME_MAGIC = 0x52;

    private static final long HANDSHAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long BACKOFF_INITIAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long BACKOFF_MAX_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    private final long localId;
    private final int maxFrameBytes;
    private final int queueCapacityBytes;
    private final InetSocketAddress localAddress;
    private final Consumer<String> log;
    private final MessageRing inbound;
    private final Counters counters = new Counters();
    private final Map<Long, byte[]> peerInfos = new ConcurrentHashMap<>();
    private final IoLoop ioLoop;
    private final Thread ioThread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object membershipLock = new Object();
    private volatile PeerTable peers = PeerTable.EMPTY;
    private MessageHandler pollHandler;
    private final MessageRing.Sink pollSink = this::deliver;

    /**
     * Binds the listening socket and starts the I/O thread, which dials the peers with higher IDs.
     *
     * @param localId            this member's ID (positive)
     * @param initialPeers       the other members (not this one) and where they listen
     * @param listenAddress      where to accept peers; port 0 picks a free port (see {@link #localAddress})
     * @param clusterToken       shared by every member of one cluster (etcd's {@code --initial-cluster-token});
     *                           only its SHA-256 crosses the wire
     * @param localMemberInfo    opaque bytes shown to peers in the handshake (at most 64 KiB), e.g. name and
     *                           client URLs; peers read them with {@link #peerInfo}
     * @param maxFrameBytes      the longest message sent or accepted; longer frames close the connection
     * @param queueCapacityBytes bytes of each peer's outbound queue (rounded up to a power of two; the inbound
     *                           queue gets twice that); must hold a maximum frame with room to spare
     * @param log                receives one line per notable event (connections opening and closing); called on
     *                           the I/O thread, so it must not block for long
     * @throws IllegalArgumentException if an argument is out of range
     * @throws UncheckedIOException     if the listen address cannot be bound
     */
    public TcpTransport(long localId, Map<Long, InetSocketAddress> initialPeers, InetSocketAddress listenAddress,
                        String clusterToken, byte[] localMemberInfo, int maxFrameBytes, int queueCapacityBytes,
                        Consumer<String> log) {
        this(localId, initialPeers, listenAddress, clusterToken, localMemberInfo, maxFrameBytes, queueCapacityBytes,
                log, null);
    }

    /**
     * As the constructor above, with TLS on every peer connection when {@code tls} is set: this member is the
     * TLS client on connections it dials and the server on those it accepts, and the cluster-token and member-ID
     * handshake runs inside TLS once the TLS handshake is done. A peer that fails TLS (untrusted or missing
     * certificate, plaintext) is refused with one log line and counted in
     * {@link TcpTransportStats#tlsHandshakesFailed}.
     *
     * @param tls TLS settings, or null for plaintext
     * @throws IllegalArgumentException also if {@code tls} names a cipher suite this JVM does not support
     */
    public TcpTransport(long localId, Map<Long, InetSocketAddress> initialPeers, InetSocketAddress listenAddress,
                        String clusterToken, byte[] localMemberInfo, int maxFrameBytes, int queueCapacityBytes,
                        Consumer<String> log, PeerTls tls) {
        checkArguments(localId, clusterToken, localMemberInfo, maxFrameBytes, queueCapacityBytes);
        if (tls != null) {
            TlsChannel.checkCipherSuites(tls);
        }
        this.localId = localId;
        this.maxFrameBytes = maxFrameBytes;
        this.queueCapacityBytes = queueCapacityCheckedFor(queueCapacityBytes, maxFrameBytes);
        this.log = Objects.requireNonNull(log, "log");
        this.inbound = new MessageRing(2 * this.queueCapacityBytes, maxFrameBytes);
        for (Map.Entry<Long, InetSocketAddress> peer : initialPeers.entrySet()) {
            putPeer(peer.getKey(), peer.getValue());
        }
        ServerSocketChannel server = bind(Objects.requireNonNull(listenAddress, "listenAddress"));
        try {
            this.localAddress = (InetSocketAddress) server.getLocalAddress();
            IoLoop.Settings settings = new IoLoop.Settings(localId, Handshake.hashToken(clusterToken),
                    localMemberInfo.clone(), maxFrameBytes, HANDSHAKE_TIMEOUT_NANOS, BACKOFF_INITIAL_NANOS,
                    BACKOFF_MAX_NANOS, tls);
            this.ioLoop = new IoLoop(settings, server, () -> peers, inbound, counters, peerInfos, log);
        } catch (IOException e) {
            closeQuietly(server);
            throw new UncheckedIOException("cannot set up the listening socket " + listenAddress, e);
        }
        this.ioThread = new Thread(ioLoop, "keel-tcp-" + Long.toHexString(localId));
        ioThread.setDaemon(true);
        ioThread.start();
    }

    /**
     * A transport with {@link #DEFAULT_MAX_FRAME_BYTES} and {@link #DEFAULT_QUEUE_CAPACITY_BYTES}; see the full
     * constructor.
     */
    public TcpTransport(long localId, Map<Long, InetSocketAddress> initialPeers, InetSocketAddress listenAddress,
                        String clusterToken, byte[] localMemberInfo, Consumer<String> log) {
        this(localId, initialPeers, listenAddress, clusterToken, localMemberInfo, DEFAULT_MAX_FRAME_BYTES,
                DEFAULT_QUEUE_CAPACITY_BYTES, log);
    }

    /**
     * A transport with the default frame and queue sizes and TLS on the peer port when {@code tls} is set; see
     * the full constructor.
     */
    public TcpTransport(long localId, Map<Long, InetSocketAddress> initialPeers, InetSocketAddress listenAddress,
                        String clusterToken, byte[] localMemberInfo, Consumer<String> log, PeerTls tls) {
        this(localId, initialPeers, listenAddress, clusterToken, localMemberInfo, DEFAULT_MAX_FRAME_BYTES,
                DEFAULT_QUEUE_CAPACITY_BYTES, log, tls);
    }

    private static void checkArguments(long localId, String clusterToken, byte[] localMemberInfo,
                                       int maxFrameBytes, int queueCapacityBytes) {
        if (localId <= 0) {
            throw new IllegalArgumentException("member ID must be positive: " + localId);
        }
        Objects.requireNonNull(clusterToken, "clusterToken");
        if (localMemberInfo.length > Handshake.MAX_INFO_BYTES) {
            throw new IllegalArgumentException("member info of " + localMemberInfo.length + " bytes; at most "
                    + Handshake.MAX_INFO_BYTES);
        }
        if (maxFrameBytes < MessageLayout.HEADER_LENGTH || maxFrameBytes > (1 << 28)) {
            throw new IllegalArgumentException("max frame of " + maxFrameBytes + " bytes; use "
                    + MessageLayout.HEADER_LENGTH + ".." + (1 << 28));
        }
        if (queueCapacityBytes <= 0 || queueCapacityBytes > (1 << 29)) {
            throw new IllegalArgumentException("queue capacity of " + queueCapacityBytes + " bytes; use 1.."
                    + (1 << 29));
        }
    }

    private static int queueCapacityCheckedFor(int queueCapacityBytes, int maxFrameBytes) {
        int capacity = BitUtil.findNextPositivePowerOfTwo(queueCapacityBytes);
        int minimum = MessageRing.minimumCapacity(maxFrameBytes);
        if (capacity < minimum) {
            throw new IllegalArgumentException("a queue of " + queueCapacityBytes + " bytes cannot hold a "
                    + maxFrameBytes + "-byte frame; use at least " + minimum + " bytes");
        }
        return capacity;
    }

    private static ServerSocketChannel bind(InetSocketAddress listenAddress) {
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open();
            // A restarted member must get its port back while old connections sit in TIME_WAIT.
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(listenAddress);
            return server;
        } catch (IOException e) {
            closeQuietly(server);
            throw new UncheckedIOException("cannot listen on " + listenAddress + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long localId() {
        return localId;
    }

    /** @return the bound listen address, with the real port if the constructor was given port 0 */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Queues a copy of the message for its peer (kernel thread). Never blocks.
     *
     * @return false if the transport is closed, the peer is unknown or not connected, the message is longer
     *         than the maximum frame, or the peer's queue is full
     */
    @Override
    public boolean send(long to, DirectBuffer buffer, int offset, int length) {
        if (closed.get()) {
            return false;
        }
        Peer peer = peers.get(to);
        if (peer == null || !peer.linked) {
            counters.droppedDisconnected.incrementAndGet();
            return false;
        }
        if (length <= 0 || length > maxFrameBytes) {
            counters.droppedTooLarge.incrementAndGet();
            return false;
        }
        if (!peer.outbound.offer(0, buffer, offset, length)) {
            counters.droppedQueueFull.incrementAndGet();
            return false;
        }
        counters.queued.incrementAndGet();
        ioLoop.wakeIfIdle();
        return true;
    }

    /**
     * Sets what the I/O thread calls when received messages are waiting for {@link #poll} (any thread; replaces
     * the previous one): typically {@code () -> LockSupport.unpark(kernelThread)}, so a polling thread that
     * parks while idle is woken by a peer's message instead of finding it at the end of its park. Called at most
     * once per I/O turn (one wake-up for a whole read batch), on the I/O thread; it must be quick and not block.
     * Messages that arrived before a listener was set are simply found by the next poll.
     */
    public void onArrival(Runnable listener) {
        ioLoop.onArrival(listener);
    }

    /** Delivers received messages, oldest first, on the calling thread (kernel thread); 0 once closed. */
    @Override
    public int poll(MessageHandler handler, int limit) {
        if (closed.get() || limit <= 0) {
            return 0;
        }
        pollHandler = handler;
        try {
            return inbound.drain(pollSink, limit);
        } finally {
            pollHandler = null;
        }
    }

    private boolean deliver(long from, DirectBuffer buffer, int offset, int length) {
        pollHandler.onMessage(from, buffer, offset, length);
        return true;
    }

    /**
     * Adds a peer, or moves an existing one to a new address (its connection is then replaced). Any thread.
     *
     * @throws IllegalArgumentException for this member's own ID or a non-positive one
     */
    public void addPeer(long id, InetSocketAddress address) {
        if (putPeer(id, address)) {
            ioLoop.wake();
        }
    }

    /** @return whether the peer table changed */
    private boolean putPeer(long id, InetSocketAddress address) {
        if (id <= 0 || id == localId) {
            throw new IllegalArgumentException("cannot add member " + id + " as a peer of member " + localId);
        }
        Objects.requireNonNull(address, "address");
        synchronized (membershipLock) {
            Peer existing = peers.get(id);
            if (existing != null && existing.address.equals(address)) {
                return false;
            }
            peers = peers.with(new Peer(id, address, new MessageRing(queueCapacityBytes, maxFrameBytes)));
            return true;
        }
    }

    /**
     * Answers {@link PeerQuery member queries} on the peer port with what {@code answer} returns (called on the
     * I/O thread: it must be quick and must not block; null refuses the query). Any thread.
     */
    public void answerQueriesWith(java.util.function.Supplier<byte[]> answer) {
        ioLoop.answerQueriesWith(answer);
    }

    /** Removes a peer and closes its connection; unknown IDs are ignored. Any thread. */
    public void removePeer(long id) {
        synchronized (membershipLock) {
            if (peers.get(id) == null) {
                return;
            }
            peers = peers.without(id);
        }
        peerInfos.remove(id);
        ioLoop.wake();
    }

    /**
     * @return a copy of the member info the peer sent in its last handshake, or null if it never connected (or
     *         was removed). Any thread.
     */
    public byte[] peerInfo(long memberId) {
        byte[] info = peerInfos.get(memberId);
        return info == null ? null : info.clone();
    }

    /** @return whether a handshaken connection to the peer is up right now. Any thread. */
    public boolean isConnected(long memberId) {
        Peer peer = peers.get(memberId);
        return peer != null && peer.linked;
    }

    /** @return the counters, as of now. Any thread. */
    public TcpTransportStats stats() {
        return counters.snapshot();
    }

    /** @return bytes waiting in the peer's outbound queue (0 for unknown peers); for tests and diagnostics */
    int queuedBytes(long memberId) {
        Peer peer = peers.get(memberId);
        return peer == null ? 0 : peer.outbound.size();
    }

    /** Stops the I/O thread and closes every socket, the listening one included. Idempotent; any thread. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ioLoop.stop();
        if (Thread.currentThread() == ioThread) {
            return;
        }
        try {
            ioThread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ioThread.isAlive()) {
            log.accept("tcp transport: the I/O thread did not stop within " + CLOSE_WAIT_MILLIS + " ms");
        }
    }

    private static void closeQuietly(ServerSocketChannel server) {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            // Failing anyway.
        }
    }
}
