package dev.keel.transport.tcp;

import dev.keel.kernel.raft.EntryType;
import dev.keel.kernel.raft.EntryView;
import dev.keel.kernel.raft.MessageDecoder;
import dev.keel.kernel.raft.MessageType;
import dev.keel.kernel.raft.Outbox;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Builds real kernel-encoded messages, waits for conditions with a deadline, and collects received messages. */
final class TcpTestSupport {
    static final String TOKEN = "keel-test-cluster";
    static final Duration DEADLINE = Duration.ofSeconds(15);
    static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private TcpTestSupport() {
    }

    /** A log sink that keeps lines for assertions (and echoes them, which helps when a test fails). */
    static final class Log implements java.util.function.Consumer<String> {
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        @Override
        public void accept(String line) {
            lines.add(line);
            System.out.println(line);
        }

        long count(String fragment) {
            return lines.stream().filter(line -> line.contains(fragment)).count();
        }
    }

    /** One received message: sender, and the decoded type, commit (our sequence number) and raw bytes. */
    record Received(long from, byte type, long sequence, byte[] bytes) {
    }

    static TcpTransport transport(long id, Map<Long, InetSocketAddress> peers, Log log) {
        return transport(id, peers, ANY_LOOPBACK, log);
    }

    /** The largest frame the test transports accept. */
    static final int TRANSPORT_MAX_FRAME = 256 * 1024;

    static TcpTransport transport(long id, Map<Long, InetSocketAddress> peers, InetSocketAddress listen, Log log) {
        return new TcpTransport(id, peers, listen, TOKEN, info(id), TRANSPORT_MAX_FRAME, 1024 * 1024, log);
    }

    static byte[] info(long id) {
        return ("member-" + id + " http://127.0.0.1:" + (2379 + id)).getBytes(StandardCharsets.UTF_8);
    }

    /** @return a heartbeat carrying {@code sequence} in its commit field, encoded by the kernel's Outbox */
    static UnsafeBuffer heartbeat(long from, long to, long sequence) {
        Outbox outbox = new Outbox();
        outbox.begin(MessageType.HEARTBEAT, from, to, 1).commit(sequence).end();
        return copy(outbox, 0);
    }

    /** @return an append of one entry of {@code dataLength} bytes (filled from {@code sequence}), commit = sequence */
    static UnsafeBuffer append(long from, long to, long sequence, int dataLength) {
        byte[] data = new byte[dataLength];
        for (int i = 0; i < dataLength; i++) {
            data[i] = (byte) (sequence * 31 + i);
        }
        Outbox outbox = new Outbox();
        outbox.begin(MessageType.APP, from, to, 2).logTerm(1).index(sequence).commit(sequence)
                .appendEntry(new EntryView().set(sequence + 1, 2, EntryType.NORMAL, new UnsafeBuffer(data), 0,
                        dataLength))
                .end();
        return copy(outbox, 0);
    }

    private static UnsafeBuffer copy(Outbox outbox, int message) {
        byte[] bytes = new byte[outbox.length(message)];
        outbox.buffer().getBytes(outbox.offset(message), bytes);
        return new UnsafeBuffer(bytes);
    }

    /** Sends until the transport accepts (the connection may still be coming up). */
    static void sendAccepted(TcpTransport transport, long to, DirectBuffer message) {
        await(() -> transport.send(to, message, 0, message.capacity()), "send to " + to + " accepted");
    }

    /** Polls {@code transport} until {@code count} messages arrived, and returns them in delivery order. */
    static List<Received> receive(TcpTransport transport, int count) {
        List<Received> received = new ArrayList<>();
        MessageDecoder decoder = new MessageDecoder();
        await(() -> {
            transport.poll((from, buffer, offset, length) -> {
                byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                decoder.wrap(buffer, offset, length);
                received.add(new Received(from, decoder.type(), decoder.commit(), bytes));
            }, 1000);
            return received.size() >= count;
        }, count + " messages at member " + transport.localId());
        return received;
    }

    /** Polls {@code condition} until it holds, failing after {@link #DEADLINE}. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    static void awaitConnected(TcpTransport a, TcpTransport b) {
        await(() -> a.isConnected(b.localId()) && b.isConnected(a.localId()),
                "members " + a.localId() + " and " + b.localId() + " connected");
    }

    /** A handshake frame as a peer would send it, with any token and IDs. */
    static byte[] handshakeFrame(String token, long sender, long expected) {
        Handshake handshake = new Handshake(sender, expected, info(sender));
        ByteBuffer frame = ByteBuffer.allocate(handshake.frameLength());
        handshake.writeFrame(frame, Handshake.hashToken(token));
        return frame.array();
    }

    /** Reads one length-prefixed frame from a blocking socket. */
    static byte[] readFrame(InputStream in) throws IOException {
        byte[] prefix = in.readNBytes(4);
        if (prefix.length < 4) {
            throw new IOException("connection closed before a frame");
        }
        int length = ByteBuffer.wrap(prefix).getInt();
        return in.readNBytes(length);
    }

    /** @return whether the peer closed the socket: a read returns end of stream (or the socket was reset) */
    static boolean closedByPeer(Socket socket) {
        try {
            socket.setSoTimeout((int) DEADLINE.toMillis());
            InputStream in = socket.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }
}
