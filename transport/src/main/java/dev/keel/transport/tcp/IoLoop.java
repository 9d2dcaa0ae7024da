package dev.keel.transport.tcp;

import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The transport's one I/O thread: a selector over the listening socket and every peer connection. Each turn it
 * follows membership changes, dials peers that are due, moves queued messages into sockets, discards what cannot
 * be sent, and reads frames into the inbound queue. Everything here runs on that thread; the kernel thread
 * reaches it only through the peers' queues, their {@code linked} flags, and {@link #wakeIfIdle}.
 */
final class IoLoop implements Runnable {
    /** What the loop needs to know about this member and its limits. */
    record Settings(long localId, byte[] tokenHash, byte[] localInfo, int maxFrameBytes,
                    long handshakeTimeoutNanos, long backoffInitialNanos, long backoffMaxNanos, PeerTls tls) {
    }

    /** The longest the selector sleeps, so timers are looked at even if a wakeup were missed. */
    private static final long MAX_SELECT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Write rounds per peer per turn: enough to fill a socket buffer, bounded for fairness. */
    private static final int PUMP_ROUNDS = 16;
    private static final int ACCEPTS_PER_TURN = 16;

    private final Settings settings;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final SelectionKey serverKey;
    private final Supplier<PeerTable> peers;
    private final MessageRing inbound;
    private final Counters counters;
    private final Map<Long, byte[]> peerInfos;
    private final Consumer<String> log;
    private final InboundCheck inboundCheck;
    private final AtomicBoolean idle = new AtomicBoolean();
    private volatile boolean running = true;
    /** Told once per turn that queued inbound messages (see {@link #onArrival}); a no-op until one is set. */
    private volatile Runnable arrivalListener = () -> { };
    /** What a {@link PeerQuery} is answered (null: queries are refused). */
    private volatile java.util.function.Supplier<byte[]> queryAnswer;
    private boolean arrivedThisTurn;

    private final Long2ObjectHashMap<PeerLink> links = new Long2ObjectHashMap<>();
    private final List<PeerLink> linkList = new ArrayList<>();
    private final Strangers unidentified = new Strangers();
    /** Closes a stranger whose handshake deadline passed (a field, so expiring allocates nothing). */
    private final Consumer<Connection> timeOut = this::timeOut;
    private PeerTable seenPeers;
    private Connection stagingTarget;
    private final MessageRing.Sink stager = this::stage;
    private final Connection.FrameSink frameSink = this::onFrame;
    private final Consumer<SelectionKey> keyHandler = this::onKey;

    IoLoop(Settings settings, ServerSocketChannel server, Supplier<PeerTable> peers, MessageRing inbound,
           Counters counters, Map<Long, byte[]> peerInfos, Consumer<String> log) throws IOException {
        this.settings = settings;
        this.server = server;
        this.peers = peers;
        this.inbound = inbound;
        this.counters = counters;
        this.peerInfos = peerInfos;
        this.log = log;
        this.inboundCheck = new InboundCheck(settings.localId());
        this.selector = Selector.open();
        server.configureBlocking(false);
        this.serverKey = server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /**
     * Wakes the selector if the loop is asleep in it (any thread). The caller has just queued a message; the
     * fence orders that write before the read of {@code idle}, pairing with the loop's write of {@code idle}
     * before its last look at the queues, so either the loop sees the message or the caller sees it idle.
     */
    void wakeIfIdle() {
        java.lang.invoke.VarHandle.fullFence();
        if (idle.get() && idle.compareAndSet(true, false)) {
            selector.wakeup();
        }
    }

    /** Makes the loop take a turn now, e.g. to follow a membership change (any thread). */
    void wake() {
        selector.wakeup();
    }

    /**
     * Sets what the loop calls after a turn in which messages entered the inbound queue (any thread): the
     * consumer's wake-up, so a consumer that parks between polls sees a peer's message at once instead of at
     * the end of its park. Called on the I/O thread, at most once per turn; it must not block.
     */
    void answerQueriesWith(java.util.function.Supplier<byte[]> answer) {
        queryAnswer = java.util.Objects.requireNonNull(answer, "answer");
    }

    void onArrival(Runnable listener) {
        arrivalListener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Asks the loop to close everything and end (any thread). */
    void stop() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                turn();
            }
        } catch (Throwable failure) {
            log("tcp transport: the I/O thread failed and stops: " + failure);
        } finally {
            shutdown();
        }
    }

    private void turn() throws IOException {
        followMembership();
        long now = System.nanoTime();
        long wakeAt = now + MAX_SELECT_NANOS;
        for (int i = 0; i < linkList.size(); i++) {
            wakeAt = earlier(wakeAt, service(linkList.get(i), now));
        }
        wakeAt = earlier(wakeAt, expireUnidentified(now));
        idle.set(true);
        if (queuedWorkWaiting()) {
            idle.set(false);
            selector.selectNow(keyHandler);
        } else {
            long timeoutMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(wakeAt - now + 999_999));
            selector.select(keyHandler, timeoutMillis);
            idle.set(false);
        }
        if (arrivedThisTurn) {
            arrivedThisTurn = false;
            arrivalListener.run();
        }
    }

    private static long earlier(long a, long b) {
        return a - b <= 0 ? a : b;
    }

    /** @return whether some queue holds messages the next turn can send or must discard, so do not sleep */
    private boolean queuedWorkWaiting() {
        for (int i = 0; i < linkList.size(); i++) {
            PeerLink link = linkList.get(i);
            if (link.peer.outbound.size() > 0 && !(link.established() && link.connection.hasPendingWrites())) {
                return true;
            }
        }
        return false;
    }

    // ---- membership ----

    private void followMembership() {
        PeerTable table = peers.get();
        if (table == seenPeers) {
            return;
        }
        seenPeers = table;
        for (int i = linkList.size() - 1; i >= 0; i--) {
            PeerLink link = linkList.get(i);
            if (table.get(link.peer.id) != link.peer) {
                boolean removed = table.get(link.peer.id) == null;
                dropLink(link, removed ? "member removed" : "member's address changed");
                linkList.remove(i);
                links.remove(link.peer.id);
                if (removed) {
                    peerInfos.remove(link.peer.id);
                }
            }
        }
        long now = System.nanoTime();
        for (Peer peer : table.all()) {
            if (links.get(peer.id) == null) {
                PeerLink link = new PeerLink(peer, settings.localId() < peer.id,
                        new Backoff(settings.backoffInitialNanos(), settings.backoffMaxNanos()), now);
                links.put(peer.id, link);
                linkList.add(link);
            }
        }
    }

    private void dropLink(PeerLink link, String reason) {
        if (link.connection != null) {
            close(link.connection, reason);
        }
        link.peer.linked = false;
        counters.droppedDisconnected.addAndGet(link.peer.outbound.discard(0));
    }

    // ---- per-peer work ----

    /** @return when this link next needs a look (dial due, handshake deadline), or far in the future */
    private long service(PeerLink link, long now) {
        long far = now + MAX_SELECT_NANOS;
        Connection connection = link.connection;
        if (connection != null && connection.state == Connection.State.ESTABLISHED) {
            if (connection.hasPendingWrites()) {
                dropOldestIfStalled(link);
            } else {
                pump(link);
            }
            return far;
        }
        // Not connected: what the kernel queued before learning so is discarded, never hoarded.
        counters.droppedDisconnected.addAndGet(link.peer.outbound.discard(0));
        if (connection != null) {
            if (now - connection.deadlineNanos < 0) {
                return connection.deadlineNanos;
            }
            close(connection, "no handshake within "
                    + TimeUnit.NANOSECONDS.toMillis(settings.handshakeTimeoutNanos()) + " ms");
            connection = link.connection;
        }
        if (link.dials && connection == null && now - link.nextDialNanos >= 0) {
            dial(link, now);
        }
        return link.dials && link.connection == null ? link.nextDialNanos : far;
    }

    private void dial(PeerLink link, long now) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Connection connection = new Connection(channel, true, link.peer.address, link.peer.id,
                    settings.maxFrameBytes(), now + settings.handshakeTimeoutNanos(),
                    TlsChannel.openIfEnabled(channel, settings.tls(), true, link.peer.address));
            connection.link = link;
            link.connection = connection;
            boolean connected = channel.connect(link.peer.address);
            connection.key = channel.register(selector,
                    connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, connection);
            if (connected) {
                onConnected(connection);
            }
        } catch (IOException | RuntimeException e) {
            // Also unresolved addresses, or a failing TLS context supplier: they cost this dial, not the thread.
            if (link.connection != null) {
                close(link.connection, "cannot connect: " + e);
            } else {
                closeQuietly(channel);
                scheduleRedial(link, "cannot connect: " + e);
            }
        }
    }

    private void onConnected(Connection connection) throws IOException {
        connection.state = Connection.State.HANDSHAKING;
        connection.stageHandshake(new Handshake(settings.localId(), connection.peerId, settings.localInfo()),
                settings.tokenHash());
        connection.flush();
        connection.watchWrites(connection.hasPendingWrites());
    }

    /** Moves queued messages into the socket until the queue is empty or the socket is full. */
    private void pump(PeerLink link) {
        Connection connection = link.connection;
        try {
            stagingTarget = connection;
            for (int round = 0; round < PUMP_ROUNDS; round++) {
                counters.sent.addAndGet(link.peer.outbound.drain(stager, Integer.MAX_VALUE));
                if (!connection.hasPendingWrites() || !connection.flush()) {
                    break;
                }
            }
        } catch (IOException e) {
            close(connection, "write failed: " + e.getMessage());
            return;
        } finally {
            stagingTarget = null;
        }
        connection.watchWrites(connection.hasPendingWrites());
        if (connection.hasPendingWrites()) {
            dropOldestIfStalled(link);
        }
    }

    private boolean stage(long tag, DirectBuffer buffer, int offset, int length) {
        return stagingTarget.stage(buffer, offset, length);
    }

    /**
     * The peer is not reading fast enough: once its queue is half full, drop the oldest messages down to a
     * quarter, so {@code send} keeps accepting the newest ones (Raft resends what matters).
     */
    private void dropOldestIfStalled(PeerLink link) {
        MessageRing queue = link.peer.outbound;
        if (queue.size() > queue.capacity() / 2) {
            counters.droppedOverflow.addAndGet(queue.discard(queue.capacity() / 4));
        }
    }

    // ---- selector events ----

    private void onKey(SelectionKey key) {
        if (key == serverKey) {
            acceptAll();
            return;
        }
        Connection connection = (Connection) key.attachment();
        try {
            handle(key, connection);
        } catch (javax.net.ssl.SSLException e) {
            refuseTls(connection, e);
        } catch (ProtocolException e) {
            boolean established = connection.state == Connection.State.ESTABLISHED;
            (established ? counters.decodeFailures : counters.handshakesRejected).incrementAndGet();
            close(connection, (established ? "bad frame: " : "handshake refused: ") + e.getMessage());
        } catch (IOException e) {
            close(connection, "I/O error: " + e.getMessage());
        } catch (RuntimeException e) {
            close(connection, "internal error: " + e);
        }
    }

    private void handle(SelectionKey key, Connection connection) throws IOException, ProtocolException {
        if (!key.isValid()) {
            return;
        }
        if (key.isConnectable()) {
            if (connection.channel.finishConnect()) {
                onConnected(connection);
            }
            return;
        }
        if (key.isReadable() && !connection.read(frameSink)) {
            close(connection, "closed by the peer");
            return;
        }
        if (connection.state != Connection.State.CLOSED && key.isValid() && key.isWritable()) {
            if (connection.state == Connection.State.ESTABLISHED) {
                pump(connection.link);
            } else {
                connection.flush();
                connection.watchWrites(connection.hasPendingWrites());
            }
        }
    }

    private void acceptAll() {
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                log("tcp transport: accept failed: " + e.getMessage());
                return;
            }
            if (channel == null) {
                return;
            }
            Connection oldest = unidentified.oldestIfFull();
            if (oldest != null) {
                counters.handshakesRejected.incrementAndGet();
                close(oldest, "evicted: " + Strangers.MAX + " connections were waiting for a handshake, and this"
                        + " one had waited longest");
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SocketAddress remote = channel.getRemoteAddress();
                Connection connection = new Connection(channel, false, remote, 0, settings.maxFrameBytes(),
                        System.nanoTime() + settings.handshakeTimeoutNanos(),
                        TlsChannel.openIfEnabled(channel, settings.tls(), false,
                                (java.net.InetSocketAddress) remote));
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                unidentified.add(connection);
            } catch (IOException | RuntimeException e) {
                log("tcp transport: cannot take a new connection: " + e);
                closeQuietly(channel);
            }
        }
    }

    /** @return the earliest handshake deadline still ahead, after closing those that passed */
    private long expireUnidentified(long now) {
        return unidentified.expire(now, now + MAX_SELECT_NANOS, timeOut);
    }

    private void timeOut(Connection connection) {
        counters.handshakesRejected.incrementAndGet();
        close(connection, "no handshake within " + TimeUnit.NANOSECONDS.toMillis(settings.handshakeTimeoutNanos())
                + " ms");
    }

    /**
     * A TLS failure (untrusted or missing certificate, plaintext on a TLS port, ...): the accepting side names the
     * peer in one line; the dialling side reports it through the redial log, once per run of failures.
     */
    private void refuseTls(Connection connection, javax.net.ssl.SSLException e) {
        // In TLS 1.3 the client finishes before the server has checked its certificate, so a refusal can reach
        // the dialler after its TLS handshake: until the Keel handshake is done, it is still a failed handshake.
        boolean handshaking = connection.state != Connection.State.ESTABLISHED;
        String reason = (handshaking ? "TLS handshake failed: " : "TLS error: ") + e.getMessage();
        if (!connection.dialed && handshaking) {
            log("tcp transport: refused peer " + connection.remote + ": " + reason);
            connection.closeLogged = true;
        }
        close(connection, reason);
        if (handshaking) {
            // Counted once logged, so whoever sees the count also finds the line.
            counters.tlsHandshakesFailed.incrementAndGet();
        }
    }

    // ---- frames ----

    private void onFrame(Connection connection, DirectBuffer buffer, int offset, int length)
            throws ProtocolException {
        if (connection.state != Connection.State.ESTABLISHED) {
            onHandshake(connection, Handshake.read(buffer, offset, length, settings.tokenHash()));
            return;
        }
        inboundCheck.check(buffer, offset, length, connection.peerId);
        if (inbound.offer(connection.peerId, buffer, offset, length)) {
            counters.received.incrementAndGet();
            arrivedThisTurn = true;
        } else {
            counters.droppedInbound.incrementAndGet();
        }
    }

    private void onHandshake(Connection connection, Handshake handshake) throws ProtocolException {
        long localId = settings.localId();
        if (!connection.dialed && PeerQuery.isQuery(handshake)) {
            answerQuery(connection);
            return;
        }
        if (handshake.expectedId() != localId) {
            throw new ProtocolException("it expected member " + Long.toHexString(handshake.expectedId())
                    + ", this is " + Long.toHexString(localId));
        }
        long sender = handshake.senderId();
        if (connection.dialed) {
            if (sender != connection.peerId) {
                throw new ProtocolException("member " + Long.toHexString(sender) + " answered, not the one dialed");
            }
            establish(connection.link, connection, handshake);
            return;
        }
        PeerLink link = links.get(sender);
        if (link == null) {
            throw new ProtocolException("member " + Long.toHexString(sender) + " is not a known peer");
        }
        if (link.dials) {
            throw new ProtocolException("member " + Long.toHexString(sender)
                    + " has the higher ID, so it accepts and this member dials");
        }
        connection.peerId = sender;
        unidentified.remove(connection);
        if (link.connection != null) {
            close(link.connection, "replaced by a new connection from the same member");
        }
        connection.stageHandshake(new Handshake(localId, sender, settings.localInfo()), settings.tokenHash());
        establish(link, connection, handshake);
    }

    /**
     * A joining member asks who the members are: the answer goes back in a handshake's member info, and the
     * connection stays unidentified (the asker closes it; the handshake deadline closes it otherwise).
     */
    private void answerQuery(Connection connection) throws ProtocolException {
        java.util.function.Supplier<byte[]> answer = queryAnswer;
        byte[] info = answer == null ? null : answer.get();
        if (info == null || info.length > Handshake.MAX_INFO_BYTES) {
            throw new ProtocolException("a member query, which this member does not answer");
        }
        connection.answeredQuery = true;
        connection.stageHandshake(new Handshake(settings.localId(), 0, info), settings.tokenHash());
        try {
            connection.flush();
        } catch (java.io.IOException e) {
            throw new ProtocolException("cannot answer a member query: " + e.getMessage());
        }
        connection.watchWrites(connection.hasPendingWrites());
    }

    private void establish(PeerLink link, Connection connection, Handshake handshake) {
        connection.state = Connection.State.ESTABLISHED;
        connection.link = link;
        link.connection = connection;
        link.backoff.reset();
        link.failureLogged = false;
        peerInfos.put(link.peer.id, handshake.memberInfo());
        counters.connectionsOpened.incrementAndGet();
        // Stale messages from before this connection are worthless to Raft; start clean.
        counters.droppedDisconnected.addAndGet(link.peer.outbound.discard(0));
        link.peer.linked = true;
        log("tcp transport: connected to " + connection.describe() + (connection.dialed ? " (dialed)" : " (accepted)"));
        pump(link);
    }

    // ---- closing ----

    /** Closes a connection with one log line; its link, if it had one, redials after a backoff. */
    private void close(Connection connection, String reason) {
        if (connection.state == Connection.State.CLOSED) {
            return;
        }
        boolean wasEstablished = connection.state == Connection.State.ESTABLISHED;
        connection.close();
        unidentified.remove(connection);
        if (wasEstablished) {
            counters.connectionsClosed.incrementAndGet();
        }
        PeerLink link = connection.link;
        if (link == null || link.connection != connection) {
            if (!connection.answeredQuery && !connection.closeLogged) {
                log("tcp transport: closed connection with " + connection.describe() + ": " + reason);
            }
            return;
        }
        link.connection = null;
        link.peer.linked = false;
        counters.droppedDisconnected.addAndGet(link.peer.outbound.discard(0));
        if (wasEstablished) {
            log("tcp transport: closed connection with " + connection.describe() + ": " + reason);
            scheduleRedial(link, null);
        } else {
            scheduleRedial(link, reason);
        }
    }

    /** Sets the next dial after a backoff; logs the first failure of a run of them. */
    private void scheduleRedial(PeerLink link, String failure) {
        if (!link.dials) {
            return;
        }
        long delay = link.backoff.next();
        link.nextDialNanos = System.nanoTime() + delay;
        if (failure != null && !link.failureLogged) {
            link.failureLogged = true;
            log("tcp transport: cannot reach member " + Long.toHexString(link.peer.id) + " at " + link.peer.address
                    + " (" + failure + "); retrying with backoff up to "
                    + TimeUnit.NANOSECONDS.toMillis(settings.backoffMaxNanos()) + " ms");
        }
    }

    private void shutdown() {
        for (PeerLink link : linkList) {
            link.peer.linked = false;
            if (link.connection != null) {
                link.connection.close();
            }
        }
        unidentified.closeAll();
        closeQuietly(server);
        try {
            selector.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Dropping the channel either way.
        }
    }

    private void log(String line) {
        try {
            log.accept(line);
        } catch (RuntimeException e) {
            // A failing log sink must not take the transport down.
        }
    }
}
