package dev.keel.transport.tcp;

import dev.keel.kernel.raft.MessageType;
import dev.keel.transport.tcp.TcpTestSupport.Log;
import dev.keel.transport.tcp.TcpTestSupport.Received;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.keel.transport.tcp.TcpTestSupport.ANY_LOOPBACK;
import static dev.keel.transport.tcp.TcpTestSupport.append;
import static dev.keel.transport.tcp.TcpTestSupport.await;
import static dev.keel.transport.tcp.TcpTestSupport.awaitConnected;
import static dev.keel.transport.tcp.TcpTestSupport.heartbeat;
import static dev.keel.transport.tcp.TcpTestSupport.info;
import static dev.keel.transport.tcp.TcpTestSupport.receive;
import static dev.keel.transport.tcp.TcpTestSupport.sendAccepted;
import static dev.keel.transport.tcp.TcpTestSupport.transport;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real transports on loopback exchanging kernel-encoded messages. */
class TcpTransportTest {
    /** Lower IDs dial higher ones, so a higher member never uses the address it has for a lower one. */
    private static final InetSocketAddress NEVER_DIALED = new InetSocketAddress("127.0.0.1", 9);

    @Test
    void twoMembersExchangeMessagesInOrderAndSeeEachOthersInfo() {
        Log log = new Log();
        try (TcpTransport two = transport(2, Map.of(1L, NEVER_DIALED), log);
             TcpTransport one = transport(1, Map.of(2L, two.localAddress()), log)) {
            awaitConnected(one, two);
            assertArrayEquals(info(2), one.peerInfo(2));
            assertArrayEquals(info(1), two.peerInfo(1));
            assertNull(one.peerInfo(3));

            int count = 2000;
            for (int i = 1; i <= count; i++) {
                sendAccepted(one, 2, heartbeat(1, 2, i));
                sendAccepted(two, 1, i % 2 == 0 ? append(2, 1, i, 300) : heartbeat(2, 1, i));
            }
            assertInOrder(receive(two, count), 1, count);
            List<Received> atOne = receive(one, count);
            assertInOrder(atOne, 2, count);
            assertArrayEquals(bytesOf(append(2, 1, 2, 300)), atOne.get(1).bytes());
            assertEquals(MessageType.APP, atOne.get(1).type());

            TcpTransportStats stats = one.stats();
            assertEquals(count, stats.messagesQueued());
            assertEquals(count, stats.messagesReceived());
            assertEquals(1, stats.connectionsOpened());
            assertEquals(0, stats.decodeFailures());
        }
    }

    @Test
    void theArrivalListenerHearsOfReceivedMessages() {
        Log log = new Log();
        try (TcpTransport two = transport(2, Map.of(1L, NEVER_DIALED), log);
             TcpTransport one = transport(1, Map.of(2L, two.localAddress()), log)) {
            java.util.concurrent.atomic.AtomicInteger arrivals = new java.util.concurrent.atomic.AtomicInteger();
            two.onArrival(arrivals::incrementAndGet);
            awaitConnected(one, two);
            assertEquals(0, arrivals.get(), "a handshake is not a message for the consumer");
            int count = 100;
            for (int i = 1; i <= count; i++) {
                sendAccepted(one, 2, heartbeat(1, 2, i));
            }
            await(() -> arrivals.get() > 0, "the listener to be called");
            assertInOrder(receive(two, count), 1, count);
            assertTrue(arrivals.get() <= count, "at most one call per turn, so never more than messages");
            assertThrows(NullPointerException.class, () -> two.onArrival(null));
        }
    }

    @Test
    void replicaFramesTravelBesideKernelMessages() {
        Log log = new Log();
        try (TcpTransport two = transport(2, Map.of(1L, NEVER_DIALED), log);
             TcpTransport one = transport(1, Map.of(2L, two.localAddress()), log)) {
            awaitConnected(one, two);
            UnsafeBuffer frame = new UnsafeBuffer(TcpTransportHostilePeersTest.replicaFrame(1));
            sendAccepted(one, 2, heartbeat(1, 2, 1));
            sendAccepted(one, 2, frame);
            sendAccepted(one, 2, heartbeat(1, 2, 2));
            List<Received> received = receive(two, 3);
            assertArrayEquals(frame.byteArray(), received.get(1).bytes());
            assertEquals(2, received.get(2).sequence());
        }
    }

    @Test
    void threeMembersEachPairKeepsItsOrder() {
        Log log = new Log();
        try (TcpTransport three = transport(3, Map.of(1L, NEVER_DIALED, 2L, NEVER_DIALED), log);
             TcpTransport two = transport(2, Map.of(1L, NEVER_DIALED, 3L, three.localAddress()), log);
             TcpTransport one = transport(1, Map.of(2L, two.localAddress(), 3L, three.localAddress()), log)) {
            TcpTransport[] members = {one, two, three};
            for (TcpTransport a : members) {
                for (TcpTransport b : members) {
                    if (a != b) {
                        awaitConnected(a, b);
                    }
                }
            }
            int count = 500;
            for (int i = 1; i <= count; i++) {
                for (TcpTransport from : members) {
                    for (TcpTransport to : members) {
                        if (from != to) {
                            sendAccepted(from, to.localId(), heartbeat(from.localId(), to.localId(), i));
                        }
                    }
                }
            }
            for (TcpTransport at : members) {
                List<Received> received = receive(at, 2 * count);
                for (TcpTransport from : members) {
                    if (from != at) {
                        assertInOrder(received.stream().filter(r -> r.from() == from.localId()).toList(),
                                from.localId(), count);
                    }
                }
            }
        }
    }

    @Test
    void messagesLargerThanOneRingRecordArriveIntact() {
        Log log = new Log();
        // 1 MiB queues: Agrona's records hold 128 KiB, so these appends travel in fragments.
        try (TcpTransport two = transport(2, Map.of(1L, NEVER_DIALED), log);
             TcpTransport one = transport(1, Map.of(2L, two.localAddress()), log)) {
            awaitConnected(one, two);
            int[] sizes = {200_000, 100, 250_000, 131_000, 5, 180_000};
            for (int i = 0; i < sizes.length; i++) {
                sendAccepted(one, 2, append(1, 2, i + 1, sizes[i]));
            }
            List<Received> received = receive(two, sizes.length);
            for (int i = 0; i < sizes.length; i++) {
                assertArrayEquals(bytesOf(append(1, 2, i + 1, sizes[i])), received.get(i).bytes(), "message " + i);
            }
        }
    }

    @Test
    void reconnectsWhenTheRemoteComesBackOnTheSamePort() {
        Log log = new Log();
        TcpTransport two = transport(2, Map.of(1L, NEVER_DIALED), log);
        InetSocketAddress address = two.localAddress();
        try (TcpTransport one = transport(1, Map.of(2L, address), log)) {
            awaitConnected(one, two);
            sendAccepted(one, 2, heartbeat(1, 2, 1));
            assertInOrder(receive(two, 1), 1, 1);

            two.close();
            await(() -> !one.isConnected(2), "member 1 notices member 2 is gone");
            assertFalse(one.send(2, heartbeat(1, 2, 2), 0, heartbeat(1, 2, 2).capacity()),
                    "a disconnected peer's messages are refused, not hoarded");

            try (TcpTransport again = transport(2, Map.of(1L, NEVER_DIALED), address, log)) {
                awaitConnected(one, again);
                sendAccepted(one, 2, heartbeat(1, 2, 3));
                List<Received> received = receive(again, 1);
                assertEquals(3, received.get(0).sequence());
                assertEquals(2, one.stats().connectionsOpened());
                assertEquals(1, one.stats().connectionsClosed());
            }
        } finally {
            two.close();
        }
    }

    @Test
    void peersCanBeAddedAndRemovedAtRuntime() {
        Log log = new Log();
        try (TcpTransport two = transport(2, Map.of(), log);
             TcpTransport one = transport(1, Map.of(2L, two.localAddress()), log)) {
            // Member 2 does not know member 1 yet: it refuses the connection, and member 1 keeps retrying.
            await(() -> log.count("is not a known peer") > 0, "member 2 refuses an unknown member");
            assertFalse(one.isConnected(2));

            two.addPeer(1, NEVER_DIALED);
            awaitConnected(one, two);
            sendAccepted(two, 1, heartbeat(2, 1, 7));
            assertEquals(7, receive(one, 1).get(0).sequence());

            one.removePeer(2);
            await(() -> !two.isConnected(1), "member 2 sees the connection closed");
            assertFalse(one.isConnected(2));
            assertNull(one.peerInfo(2));
            assertFalse(one.send(2, heartbeat(1, 2, 8), 0, heartbeat(1, 2, 8).capacity()));

            one.addPeer(2, two.localAddress());
            awaitConnected(one, two);
            assertThrows(IllegalArgumentException.class, () -> one.addPeer(1, NEVER_DIALED));
        }
    }

    @Test
    void closeReleasesThePortAndIsIdempotent() throws IOException {
        Log log = new Log();
        TcpTransport two = transport(2, Map.of(1L, NEVER_DIALED), log);
        TcpTransport one = transport(1, Map.of(2L, two.localAddress()), log);
        awaitConnected(one, two);
        InetSocketAddress address = two.localAddress();
        two.close();
        two.close();
        try (ServerSocketChannel rebound = ServerSocketChannel.open()) {
            rebound.bind(address);
            assertEquals(address.getPort(), ((InetSocketAddress) rebound.getLocalAddress()).getPort());
        }
        one.close();
        UnsafeBuffer message = heartbeat(1, 2, 1);
        assertFalse(one.send(2, message, 0, message.capacity()));
        assertEquals(0, one.poll((from, buffer, offset, length) -> { }, 10));
        one.addPeer(3, NEVER_DIALED);
        one.removePeer(3);
    }

    @Test
    void badArgumentsAreRefusedClearly() {
        Log log = new Log();
        assertThrows(IllegalArgumentException.class, () -> new TcpTransport(1, Map.of(), ANY_LOOPBACK, "t",
                new byte[0], 4 * 1024 * 1024, 1024 * 1024, log), "a queue smaller than a frame");
        assertThrows(IllegalArgumentException.class, () -> new TcpTransport(0, Map.of(), ANY_LOOPBACK, "t",
                new byte[0], log));
        assertThrows(IllegalArgumentException.class, () -> new TcpTransport(1, Map.of(1L, NEVER_DIALED),
                ANY_LOOPBACK, "t", new byte[0], log), "itself as a peer");
        try (TcpTransport taken = transport(1, Map.of(), log)) {
            assertThrows(UncheckedIOException.class, () -> transport(2, Map.of(), taken.localAddress(), log));
        }
    }

    private static void assertInOrder(List<Received> received, long from, int count) {
        List<Long> sequences = new ArrayList<>();
        for (Received r : received) {
            assertEquals(from, r.from());
            sequences.add(r.sequence());
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= count; i++) {
            expected.add(i);
        }
        assertEquals(expected, sequences);
    }

    private static byte[] bytesOf(UnsafeBuffer buffer) {
        byte[] bytes = new byte[buffer.capacity()];
        buffer.getBytes(0, bytes);
        return bytes;
    }
}
