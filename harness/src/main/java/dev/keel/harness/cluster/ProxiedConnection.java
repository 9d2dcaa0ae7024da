package dev.keel.harness.cluster;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One connection a member dialled to another member's proxy, joined to a connection the proxy dialled to that
 * member's real peer port. The dialer is learned from its handshake; until then (and for connections that never
 * identify, such as a joining member's {@code PeerQuery}) every frame passes.
 */
final class ProxiedConnection {
    private final Socket dialerSide;
    private final Socket memberSide;
    private final String member;
    private final LinkRules rules;
    private final Consumer<ProxiedConnection> onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The dialling member's name once its handshake was seen; null before, or when it is not a member's. */
    private volatile String dialer;
    private FramePump toMember;
    private FramePump toDialer;

    /**
     * @param member   the name of the member whose proxy accepted the connection
     * @param onClosed told once when the connection is gone (the proxy forgets it)
     */
    ProxiedConnection(Socket dialerSide, Socket memberSide, String member, LinkRules rules,
                      Consumer<ProxiedConnection> onClosed) {
        this.dialerSide = dialerSide;
        this.memberSide = memberSide;
        this.member = member;
        this.rules = rules;
        this.onClosed = onClosed;
    }

    /** Starts the four pump threads. */
    void start() throws IOException {
        dialerSide.setTcpNoDelay(true);
        memberSide.setTcpNoDelay(true);
        String label = "proxy " + member + " " + dialerSide.getPort();
        toMember = new FramePump(label + " in", dialerSide.getInputStream(),
                new BufferedOutputStream(memberSide.getOutputStream(), 64 * 1024),
                frame -> verdict(dialer, member), frame -> dialer = PeerFrames.handshakeSender(frame).orElse(null),
                this::close);
        toDialer = new FramePump(label + " out", memberSide.getInputStream(),
                new BufferedOutputStream(dialerSide.getOutputStream(), 64 * 1024),
                frame -> verdict(member, dialer), frame -> { }, this::close);
        toMember.start();
        toDialer.start();
    }

    private Optional<LinkRules.Verdict> verdict(String from, String to) {
        return from == null || to == null ? Optional.empty() : Optional.of(rules.verdict(from, to));
    }

    /** @return the dialling member's name, when known */
    Optional<String> dialer() {
        return Optional.ofNullable(dialer);
    }

    /** Closes both sockets and stops the pumps; idempotent. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(dialerSide);
        closeQuietly(memberSide);
        if (toMember != null) {
            toMember.stop();
            toDialer.stop();
        }
        onClosed.accept(this);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Being dropped either way.
        }
    }
}
