package dev.keel.transport.tcp;

import dev.keel.transport.tcp.TcpTestSupport.Log;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.keel.transport.tcp.TcpTestSupport.ANY_LOOPBACK;
import static dev.keel.transport.tcp.TcpTestSupport.TOKEN;
import static dev.keel.transport.tcp.TcpTestSupport.append;
import static dev.keel.transport.tcp.TcpTestSupport.awaitConnected;
import static dev.keel.transport.tcp.TcpTestSupport.heartbeat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One-way throughput between two transports on loopback. In the default build it runs briefly (messages of every
 * size keep arriving under a flat-out sender that overflows the queues); by hand, for figures:
 * {@code mvn -B -q -o test -pl transport -am -Dtest=TcpThroughputTest -Dkeel.tcp.throughput.millis=3000
 * -Dsurefire.failIfNoSpecifiedTests=false}. One thread sends as fast as {@code send} accepts (retrying when a
 * queue is full), another polls; the rate counted is what arrived.
 */
class TcpThroughputTest {
    private static final long MILLIS_PER_SIZE = Long.getLong("keel.tcp.throughput.millis", 150);

    @Test
    void measure() throws InterruptedException {
        Log quiet = new Log();
        try (TcpTransport two = new TcpTransport(2, Map.of(1L, new InetSocketAddress("127.0.0.1", 9)), ANY_LOOPBACK,
                TOKEN, new byte[0], quiet);
             TcpTransport one = new TcpTransport(1, Map.of(2L, two.localAddress()), ANY_LOOPBACK, TOKEN,
                     new byte[0], quiet)) {
            awaitConnected(one, two);
            run(one, two, heartbeat(1, 2, 1), "warm-up", MILLIS_PER_SIZE, false);
            for (boolean paced : new boolean[]{false, true}) {
                System.out.println(paced ? "paced: send only while the peer's queue is under 1/8 full"
                        : "flat out: send whenever send accepts");
                for (int size : new int[]{80, 1024, 16 * 1024, 256 * 1024}) {
                    UnsafeBuffer message = size == 80 ? heartbeat(1, 2, 1) : append(1, 2, 1, size);
                    run(one, two, message, (size == 80 ? "  heartbeat" : "  append of " + size + " B") + ", frame "
                            + message.capacity() + " B", MILLIS_PER_SIZE, paced);
                }
            }
        }
    }

    private static void run(TcpTransport one, TcpTransport two, UnsafeBuffer message, String name, long millis,
                            boolean paced) throws InterruptedException {
        int paceBytes = TcpTransport.DEFAULT_QUEUE_CAPACITY_BYTES / 8;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong received = new AtomicLong();
        Thread receiver = new Thread(() -> {
            while (!stop.get()) {
                int n = two.poll((from, buffer, offset, length) -> { }, 1024);
                if (n == 0) {
                    Thread.onSpinWait();
                }
                received.addAndGet(n);
            }
        }, "throughput-receiver");
        TcpTransportStats before = one.stats();
        receiver.start();
        long refused = 0;
        long start = System.nanoTime();
        long end = start + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 64; i++) {
                if (paced && one.queuedBytes(2) > paceBytes) {
                    Thread.onSpinWait();
                } else if (!one.send(2, message, 0, message.capacity())) {
                    refused++;
                    Thread.onSpinWait();
                }
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long count = received.get();
        stop.set(true);
        receiver.join();
        TcpTransportStats after = one.stats();
        long overflow = after.messagesDroppedOverflow() - before.messagesDroppedOverflow();
        System.out.printf("%-40s %,12.0f msg/s %9.1f MB/s  (refused by send %,d, dropped oldest %,d)%n", name,
                count / elapsed, count * (double) message.capacity() / elapsed / 1e6, refused, overflow);
        assertTrue(count > 0);
        // Drain what is left so the next size starts from empty queues.
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < 200_000_000L) {
            if (two.poll((from, buffer, offset, length) -> { }, 1024) > 0) {
                quietSince = System.nanoTime();
            }
        }
    }
}
