package dev.keel.transport.tcp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fragmenting queue on its own: whole-or-nothing offers, order, refusal, discarding, wrap-around. */
class MessageRingTest {
    private static final int CAPACITY = 64 * 1024;
    /** Agrona's records hold an eighth of the ring: 8 KiB here, so 20 KiB messages are fragmented. */
    private static final int MAX_MESSAGE = 20 * 1024;

    @Test
    void randomSizesComeOutInOrderAndIntactAcrossManyWraps() {
        MessageRing ring = new MessageRing(CAPACITY, MAX_MESSAGE);
        Random random = new Random(42);
        ArrayDeque<byte[]> expected = new ArrayDeque<>();
        long next = 0;
        for (int step = 0; step < 20_000; step++) {
            if (random.nextInt(3) > 0) {
                byte[] message = message(next, random.nextInt(random.nextInt(8) == 0 ? MAX_MESSAGE : 600) + 1);
                if (ring.offer(next, new UnsafeBuffer(message), 0, message.length)) {
                    expected.add(message);
                    next++;
                }
            } else {
                ring.drain((tag, buffer, offset, length) -> {
                    byte[] want = expected.poll();
                    byte[] got = new byte[length];
                    buffer.getBytes(offset, got);
                    assertArrayEquals(want, got);
                    return true;
                }, 1 + random.nextInt(5));
            }
        }
        assertTrue(next > 5_000, "few messages went through: " + next);
    }

    @Test
    void aFragmentedMessageIsQueuedWholeOrNotAtAll() {
        MessageRing ring = new MessageRing(CAPACITY, MAX_MESSAGE);
        byte[] big = message(1, MAX_MESSAGE);
        int accepted = 0;
        while (ring.offer(accepted, new UnsafeBuffer(big), 0, big.length)) {
            accepted++;
        }
        assertTrue(accepted >= 2, "a 64 KiB ring takes at least two 20 KiB messages");
        List<Long> tags = new ArrayList<>();
        ring.drain((tag, buffer, offset, length) -> {
            assertEquals(big.length, length);
            tags.add(tag);
            return true;
        }, Integer.MAX_VALUE);
        assertEquals(accepted, tags.size());
        assertEquals(0, ring.size());
    }

    @Test
    void aRefusedMessageIsOfferedAgainFirst() {
        MessageRing ring = new MessageRing(CAPACITY, MAX_MESSAGE);
        for (int i = 0; i < 4; i++) {
            byte[] message = message(i, i % 2 == 0 ? 100 : MAX_MESSAGE);
            assertTrue(ring.offer(i, new UnsafeBuffer(message), 0, message.length));
        }
        List<Long> order = new ArrayList<>();
        for (int round = 0; round < 20 && order.size() < 4; round++) {
            boolean[] acceptedThisRound = {false};
            ring.drain((tag, buffer, offset, length) -> {
                if (acceptedThisRound[0]) {
                    return false;
                }
                acceptedThisRound[0] = true;
                order.add(tag);
                return true;
            }, Integer.MAX_VALUE);
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), order);
    }

    @Test
    void discardDropsTheOldestWholeMessages() {
        MessageRing ring = new MessageRing(CAPACITY, MAX_MESSAGE);
        for (int i = 0; i < 40; i++) {
            byte[] message = message(i, 1000);
            assertTrue(ring.offer(i, new UnsafeBuffer(message), 0, message.length));
        }
        int before = ring.size();
        int dropped = ring.discard(before / 2);
        assertTrue(dropped >= 19 && dropped <= 21, "dropped " + dropped);
        AtomicReference<Long> first = new AtomicReference<>();
        int left = ring.drain((tag, buffer, offset, length) -> {
            first.compareAndSet(null, tag);
            return true;
        }, Integer.MAX_VALUE);
        assertEquals(40 - dropped, left);
        assertEquals((long) dropped, first.get(), "the newest survive");
        assertEquals(0, ring.discard(0));
    }

    @Test
    void discardingInsideAFragmentedMessageSkipsItsRest() {
        MessageRing ring = new MessageRing(CAPACITY, MAX_MESSAGE);
        byte[] big = message(1, MAX_MESSAGE);
        byte[] small = message(2, 10);
        assertTrue(ring.offer(1, new UnsafeBuffer(big), 0, big.length));
        assertTrue(ring.offer(2, new UnsafeBuffer(small), 0, small.length));
        assertEquals(1, ring.discard(ring.size() - 100), "only the first fragment was needed to free the bytes");
        List<Long> tags = new ArrayList<>();
        ring.drain((tag, buffer, offset, length) -> tags.add(tag), Integer.MAX_VALUE);
        assertEquals(List.of(2L), tags, "the rest of the fragmented message is skipped, the next one kept");
    }

    @Test
    void tooSmallARingOrTooLongAMessageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MessageRing(CAPACITY, CAPACITY));
        assertThrows(IllegalArgumentException.class, () -> new MessageRing(CAPACITY + 1, 100));
        MessageRing ring = new MessageRing(CAPACITY, MAX_MESSAGE);
        byte[] tooLong = new byte[MAX_MESSAGE + 1];
        assertThrows(IllegalArgumentException.class, () -> ring.offer(0, new UnsafeBuffer(tooLong), 0, tooLong.length));
        assertFalse(MessageRing.minimumCapacity(MAX_MESSAGE) > CAPACITY);
    }

    @Test
    void aProducerAndAConsumerThreadAgreeOnEveryByte() throws InterruptedException {
        MessageRing ring = new MessageRing(CAPACITY, MAX_MESSAGE);
        int count = 20_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            Random random = new Random(7);
            for (int i = 0; i < count; ) {
                byte[] message = message(i, 1 + random.nextInt(i % 50 == 0 ? MAX_MESSAGE : 300));
                if (ring.offer(i, new UnsafeBuffer(message), 0, message.length)) {
                    i++;
                } else {
                    Thread.onSpinWait();
                }
            }
        }, "ring-producer");
        producer.start();
        long[] nextTag = {0};
        long deadline = System.nanoTime() + TcpTestSupport.DEADLINE.toNanos();
        while (nextTag[0] < count && failure.get() == null && System.nanoTime() < deadline) {
            ring.drain((tag, buffer, offset, length) -> {
                byte[] got = new byte[length];
                buffer.getBytes(offset, got);
                if (tag != nextTag[0] || !Arrays.equals(got, message(tag, length))) {
                    failure.set(new AssertionError("message " + nextTag[0] + " arrived as " + tag));
                }
                nextTag[0]++;
                return true;
            }, 100);
        }
        producer.join(TcpTestSupport.DEADLINE.toMillis());
        assertNull(failure.get());
        assertEquals(count, nextTag[0]);
    }

    /** @return bytes starting with the tag (if there is room), then a pattern derived from it */
    private static byte[] message(long tag, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (tag + i);
        }
        if (length >= 8) {
            new UnsafeBuffer(bytes).putLong(0, tag);
        }
        return bytes;
    }
}
