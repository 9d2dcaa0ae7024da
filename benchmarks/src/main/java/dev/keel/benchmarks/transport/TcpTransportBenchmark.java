package dev.keel.benchmarks.transport;

import dev.keel.benchmarks.codec.SampleEntries;
import dev.keel.kernel.raft.DecodeStatus;
import dev.keel.kernel.raft.EntryView;
import dev.keel.kernel.raft.MessageDecoder;
import dev.keel.kernel.raft.MessageType;
import dev.keel.kernel.raft.Outbox;
import dev.keel.transport.MessageHandler;
import dev.keel.transport.tcp.TcpTransport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The node's TCP transport between two members on loopback in one JVM: two {@link TcpTransport}s (each with its
 * own I/O thread, connected after the cluster-token handshake) carrying kernel-encoded messages — a leader's
 * append of 16 sample entries (~5 KB, see {@link SampleEntries}) or a heartbeat (80 B). The benchmark thread
 * plays both kernel threads: it sends on one member and polls the other, as {@code KeelNode}'s kernel thread
 * calls {@code send} and {@code poll}.
 * <ul>
 *   <li>{@link #stream}: {@value #WINDOW} messages sent back to back, then polled until all arrived; one
 *       operation = one message, so the score is messages per second one way;</li>
 *   <li>{@link #roundTrip}: one message to the peer and an 80-byte response back (an append and its ack, or a
 *       heartbeat and its response), sampled: the latency distribution of one exchange.</li>
 * </ul>
 * On the 2-core machine the two I/O threads and the benchmark thread share the cores, as a member's kernel
 * and I/O threads do. A message that does not arrive within 10 s fails the benchmark (the transport only drops
 * messages when queues overflow or a connection breaks, which neither loop should cause).
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class TcpTransportBenchmark {
    static final int WINDOW = 256;
    private static final long ONE = 1;
    private static final long TWO = 2;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** {@code append}: 16 entries of ~300 B; {@code heartbeat}: header only. */
    @Param({"append", "heartbeat"})
    String message;

    private TcpTransport one;
    private TcpTransport two;
    private UnsafeBuffer request;
    private UnsafeBuffer response;
    private int received;
    private int receivedBytes;
    private final MessageHandler counter = this::count;

    @Setup(Level.Trial)
    public void setUp() {
        request = message.equals("append") ? encode(MessageType.APP) : encode(MessageType.HEARTBEAT);
        response = encodeResponse();
        two = new TcpTransport(TWO, Map.of(ONE, new InetSocketAddress("127.0.0.1", 9)),
                new InetSocketAddress("127.0.0.1", 0), "keel-bench", new byte[0], line -> { });
        one = new TcpTransport(ONE, Map.of(TWO, two.localAddress()), new InetSocketAddress("127.0.0.1", 0),
                "keel-bench", new byte[0], line -> { });
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!one.isConnected(TWO) || !two.isConnected(ONE)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the two transports did not connect on loopback within 10 s");
            }
            LockSupport.parkNanos(1_000_000);
        }
        checkDelivery();
    }

    /** One message each way, checked byte for byte and by the kernel's decoder. */
    private void checkDelivery() {
        MessageDecoder decoder = new MessageDecoder();
        UnsafeBuffer[] got = new UnsafeBuffer[1];
        MessageHandler keep = (from, buffer, offset, length) -> {
            byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            got[0] = new UnsafeBuffer(bytes);
        };
        for (int attempt = 0; !one.send(TWO, request, 0, request.capacity()); attempt++) {
            if (attempt > 10_000) {
                throw new IllegalStateException("the transport refuses to send to a connected peer");
            }
            LockSupport.parkNanos(100_000);
        }
        awaitOne(two, keep);
        if (got[0].compareTo(request) != 0 || decoder.wrap(got[0], 0, got[0].capacity()) != DecodeStatus.OK
                || decoder.from() != ONE) {
            throw new IllegalStateException("the message arrived altered");
        }
        received = 0;
        roundTrip();
        if (receivedBytes != response.capacity()) {
            throw new IllegalStateException("the response arrived with " + receivedBytes + " bytes");
        }
    }

    private static void awaitOne(TcpTransport at, MessageHandler handler) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (at.poll(handler, 1) == 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no message arrived within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    private static UnsafeBuffer encode(byte type) {
        Outbox outbox = new Outbox();
        if (type == MessageType.APP) {
            new SampleEntries(16).encodeAppend(outbox, ONE, TWO, 1_000_000, new EntryView());
        } else {
            SampleEntries.encodeHeartbeat(outbox, ONE, TWO, 1_000_000, 42);
        }
        return copy(outbox);
    }

    private UnsafeBuffer encodeResponse() {
        Outbox outbox = new Outbox();
        byte type = message.equals("append") ? MessageType.APP_RESP : MessageType.HEARTBEAT_RESP;
        outbox.begin(type, TWO, ONE, SampleEntries.TERM).index(1_000_016).context(42).end();
        return copy(outbox);
    }

    private static UnsafeBuffer copy(Outbox outbox) {
        byte[] bytes = new byte[outbox.length(0)];
        outbox.buffer().getBytes(outbox.offset(0), bytes);
        return new UnsafeBuffer(bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        one.close();
        two.close();
    }

    private void count(long from, DirectBuffer buffer, int offset, int length) {
        received++;
        receivedBytes = length;
    }

    /** {@value #WINDOW} messages one way, sent back to back and all received. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(WINDOW)
    public int stream() {
        received = 0;
        int sent = 0;
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (received < WINDOW) {
            while (sent < WINDOW && one.send(TWO, request, 0, request.capacity())) {
                sent++;
            }
            if (two.poll(counter, WINDOW) == 0) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("only " + received + " of " + sent + " messages arrived in 10 s");
                }
                Thread.onSpinWait();
            }
        }
        return received;
    }

    /** One message to the peer and its response back. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int roundTrip() {
        if (!one.send(TWO, request, 0, request.capacity())) {
            throw new IllegalStateException("send refused: " + one.stats());
        }
        awaitOne(two, counter);
        if (!two.send(ONE, response, 0, response.capacity())) {
            throw new IllegalStateException("response refused: " + two.stats());
        }
        awaitOne(one, counter);
        return receivedBytes;
    }
}
