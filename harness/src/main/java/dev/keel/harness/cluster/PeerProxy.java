package dev.keel.harness.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy in front of one member's peer port: it listens on the member's advertised peer address (the one in
 * everyone's {@code --initial-cluster}) and joins each accepted connection to a new connection to the member's
 * real listening port, frame by frame under the shared {@link LinkRules}. A connection to a member that is down
 * is closed at once, so the dialer sees what it would see without the proxy.
 */
final class PeerProxy implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    private final String member;
    private final int targetPort;
    private final LinkRules rules;
    private final ServerSocket server;
    private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    /**
     * Binds a free loopback port and starts accepting.
     *
     * @param member     the name of the member behind the proxy
     * @param targetPort the member's {@code --listen-peer-urls} port
     */
    PeerProxy(String member, int targetPort, LinkRules rules) {
        this.member = member;
        this.targetPort = targetPort;
        this.rules = rules;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("could not bind a proxy port for " + member, e);
        }
        acceptor = new Thread(this::acceptLoop, "proxy " + member + " accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return the port members dial to reach this member (its advertised peer port) */
    int port() {
        return server.getLocalPort();
    }

    /** @return how many proxied connections are open now */
    int openConnections() {
        return connections.size();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket dialer;
            try {
                dialer = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            join(dialer);
        }
    }

    private void join(Socket dialer) {
        Socket target = new Socket();
        try {
            target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort),
                    CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            closeQuietly(target);
            closeQuietly(dialer); // the member is down: refuse as its own port would
            return;
        }
        ProxiedConnection connection = new ProxiedConnection(dialer, target, member, rules, connections::remove);
        connections.add(connection);
        try {
            connection.start();
        } catch (IOException e) {
            connection.close();
        }
        if (closed) {
            connection.close();
        }
    }

    /** Closes every proxied connection; members dial again, and new connections pass the rules then in force. */
    void closeConnections() {
        for (ProxiedConnection c : Set.copyOf(connections)) {
            c.close();
        }
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        closeConnections();
    }

    private static void closeQuietly(AutoCloseable socket) {
        try {
            socket.close();
        } catch (Exception e) {
            // Being dropped either way.
        }
    }
}
