package dev.keel.simulator;

import dev.keel.kernel.util.SplitMix64;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventQueueTest {

    @Test
    void firesInTimeOrderAndFifoAtEqualTimes() {
        EventQueue q = new EventQueue();
        List<String> fired = new ArrayList<>();
        q.schedule(5, () -> fired.add("b5"));
        q.schedule(1, () -> fired.add("a1"));
        q.schedule(5, () -> fired.add("c5"));
        q.schedule(3, () -> fired.add("x3"));
        while (!q.isEmpty()) {
            q.poll().run();
        }
        assertEquals(List.of("a1", "x3", "b5", "c5"), fired);
    }

    /** Near and far events, scheduled while the clock runs, come out exactly as from a plain heap. */
    @Test
    void wheelAndHeapAgreeOnTheOrder() {
        EventQueue wheel = new EventQueue();
        EventHeap heap = new EventHeap();
        SplitMix64 random = new SplitMix64(11);
        List<Long> fromWheel = new ArrayList<>();
        List<Long> fromHeap = new ArrayList<>();
        long now = 0;
        long id = 0;
        for (int round = 0; round < 200_000; round++) {
            if (random.nextInt(3) != 0 || wheel.isEmpty()) {
                long delay = random.nextInt(4) == 0 ? random.nextInt(20_000_000) : random.nextInt(3000);
                long tag = id++;
                wheel.schedule(now + delay, () -> fromWheel.add(tag));
                heap.schedule(now + delay, () -> fromHeap.add(tag));
            } else {
                assertEquals(heap.peekTime(), wheel.peekTime());
                now = wheel.peekTime();
                wheel.poll().run();
                heap.poll().run();
            }
        }
        while (!wheel.isEmpty()) {
            assertEquals(heap.peekTime(), wheel.peekTime());
            wheel.poll().run();
            heap.poll().run();
        }
        assertTrue(heap.isEmpty());
        assertEquals(fromHeap, fromWheel);
    }

    @Test
    void manyRandomEventsComeOutSorted() {
        EventQueue q = new EventQueue();
        SplitMix64 random = new SplitMix64(9);
        long[] order = new long[50_000];
        for (int i = 0; i < order.length; i++) {
            long t = random.nextInt(1000);
            int seq = i;
            q.schedule(t, () -> order[seq] = t);
        }
        long lastTime = -1;
        while (!q.isEmpty()) {
            long t = q.peekTime();
            assertTrue(t >= lastTime);
            lastTime = t;
            q.poll().run();
        }
        assertEquals(0, q.size());
    }
}
