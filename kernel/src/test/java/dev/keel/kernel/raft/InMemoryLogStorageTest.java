package dev.keel.kernel.raft;

import dev.keel.kernel.testing.Property;
import dev.keel.kernel.util.InvariantViolation;
import dev.keel.kernel.util.SplitMix64;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InMemoryLogStorageTest {

    @Test
    void appendTruncateCompactAndSnapshot() {
        InMemoryLogStorage s = new InMemoryLogStorage(ConfState.ofVoters(1));
        for (int i = 1; i <= 5; i++) {
            append(s, i < 4 ? 1 : 2, "e" + i);
        }
        assertEquals(5, s.lastIndex());
        assertEquals(2, s.term(5));
        assertEquals(LogStorage.TERM_UNAVAILABLE, s.term(6));
        s.truncateAfter(3);
        assertEquals(3, s.lastIndex());
        append(s, 3, "x4");
        assertEquals(3, s.term(4));
        assertThrows(InvariantViolation.class, () -> s.compact(2), "no snapshot yet");
        s.saveSnapshot(3, 1, ConfState.ofVoters(1), new UnsafeBuffer(new byte[]{9}), 0, 1);
        s.compact(2);
        assertEquals(2, s.baseIndex());
        assertEquals(1, s.term(2));
        assertEquals(LogStorage.TERM_UNAVAILABLE, s.term(1));
        assertArrayEquals("e3".getBytes(), s.entry(3, new EntryView()).copyData());
        assertThrows(IndexOutOfBoundsException.class, () -> s.entry(2, new EntryView()));
        s.installSnapshot(10, 4, ConfState.ofVoters(1, 2), new UnsafeBuffer(new byte[]{1, 2}), 0, 2);
        assertEquals(10, s.baseIndex());
        assertEquals(10, s.lastIndex());
        assertEquals(4, s.term(10));
        assertEquals(2, s.snapshotLength());
        assertEquals(ConfState.ofVoters(1, 2), s.snapshotConf());
    }

    @Test
    void appendingBelowTheLastTermIsAnInvariantViolation() {
        InMemoryLogStorage s = new InMemoryLogStorage(ConfState.ofVoters(1));
        append(s, 3, "a");
        assertThrows(InvariantViolation.class, () -> append(s, 2, "b"));
    }

    /** Random appends, truncations and compactions agree with a plain list, across slot and data reclaiming. */
    @Test
    void behavesLikeAList() {
        Property.forAll("log storage vs list", 200, seed -> {
            SplitMix64 random = new SplitMix64(seed);
            InMemoryLogStorage s = new InMemoryLogStorage(new ConfState());
            List<byte[]> model = new ArrayList<>(); // index i+1 → data
            List<Long> terms = new ArrayList<>();
            long base = 0;
            long term = 1;
            for (int step = 0; step < 3000; step++) {
                int roll = random.nextInt(100);
                if (roll < 75) {
                    term += random.nextInt(10) == 0 ? 1 : 0;
                    byte[] data = new byte[random.nextInt(64)];
                    if (data.length > 0) {
                        data[0] = (byte) step;
                    }
                    s.append(term, EntryType.NORMAL, new UnsafeBuffer(data), 0, data.length);
                    model.add(data);
                    terms.add(term);
                } else if (roll < 85 && model.size() > base) {
                    long to = base + random.nextInt((int) (model.size() - base) + 1);
                    s.truncateAfter(to);
                    while (model.size() > to) {
                        model.remove(model.size() - 1);
                        terms.remove(terms.size() - 1);
                    }
                } else if (model.size() > base) {
                    long at = base + 1 + random.nextInt((int) (model.size() - base));
                    s.saveSnapshot(at, terms.get((int) at - 1), new ConfState(), new UnsafeBuffer(new byte[0]), 0, 0);
                    s.compact(at);
                    base = at;
                }
                assertEquals(model.size(), s.lastIndex());
                assertEquals(base, s.baseIndex());
                if (model.size() > base) {
                    long probe = base + 1 + random.nextInt((int) (model.size() - base));
                    EntryView v = s.entry(probe, new EntryView());
                    assertArrayEquals(model.get((int) probe - 1), v.copyData(), "entry " + probe);
                    assertEquals(terms.get((int) probe - 1), v.term());
                }
            }
        });
    }

    private static void append(InMemoryLogStorage s, long term, String data) {
        byte[] bytes = data.getBytes();
        s.append(term, EntryType.NORMAL, new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
