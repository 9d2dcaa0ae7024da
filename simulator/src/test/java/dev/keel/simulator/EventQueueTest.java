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
