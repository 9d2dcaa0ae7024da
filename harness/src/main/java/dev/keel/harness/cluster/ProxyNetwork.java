package dev.keel.harness.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@link Network} over one {@link PeerProxy} per member, all sharing one set of {@link LinkRules}.
 *
 * <p>A cut drops frames but keeps the TCP connections open, so a healed link works at once and no member sees a
 * connection error it would not see in a real partition (where TCP outlives a short loss of packets).
 * {@link #reconnect()} closes every proxied connection, for the other half of a real partition's story (a
 * long one breaks TCP): members dial again, and their new connections obey the rules then in force.
 */
public final class ProxyNetwork implements Network, AutoCloseable {
    private final LinkRules rules;
    private final Map<String, PeerProxy> proxies = new ConcurrentHashMap<>();
    private final Consumer<String> log;

    /**
     * @param seed seeds the random drops
     * @param log  gets one line per change
     */
    public ProxyNetwork(long seed, Consumer<String> log) {
        this.rules = new LinkRules(seed);
        this.log = log;
    }

    /**
     * Starts the proxy in front of a member.
     *
     * @param listenPeerPort the member's real peer port ({@code --listen-peer-urls})
     * @return the proxy's port, the member's advertised peer port
     */
    public int addProxy(String member, int listenPeerPort) {
        PeerProxy proxy = new PeerProxy(member, listenPeerPort, rules);
        if (proxies.putIfAbsent(member, proxy) != null) {
            proxy.close();
            throw new IllegalArgumentException("a proxy for " + member + " already runs");
        }
        log.accept("proxy for " + member + " on 127.0.0.1:" + proxy.port() + " -> 127.0.0.1:" + listenPeerPort);
        return proxy.port();
    }

    /** Stops the proxy in front of {@code member} (after it left the cluster); unknown names are ignored. */
    public void removeProxy(String member) {
        PeerProxy proxy = proxies.remove(member);
        if (proxy != null) {
            proxy.close();
            log.accept("proxy for " + member + " stopped");
        }
    }

    @Override
    public void block(String from, String to) {
        rules.block(from, to);
        log.accept(from + "->" + to + " blocked");
    }

    @Override
    public void delay(String from, String to, long millis) {
        rules.delay(from, to, millis);
        log.accept(from + "->" + to + " delayed " + millis + "ms");
    }

    @Override
    public void drop(String from, String to, double share) {
        rules.drop(from, to, share);
        log.accept(from + "->" + to + " drops " + Math.round(share * 100) + "%");
    }

    @Override
    public void heal() {
        rules.heal();
        log.accept("network healed");
    }

    @Override
    public String describe() {
        return rules.describe();
    }

    /** @return how many frames {@code from} sent {@code to} were dropped so far (all faults, all time) */
    public long dropped(String from, String to) {
        return rules.dropped(from, to);
    }

    /** Closes every proxied connection between members; they dial again at once. */
    public void reconnect() {
        proxies.values().forEach(PeerProxy::closeConnections);
        log.accept("peer connections closed (members redial)");
    }

    /** Stops every proxy. */
    @Override
    public void close() {
        proxies.values().forEach(PeerProxy::close);
        proxies.clear();
    }
}
