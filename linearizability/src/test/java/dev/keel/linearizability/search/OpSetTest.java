package dev.keel.linearizability.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keel.linearizability.testing.Seeded;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The compact copies the cache keeps must behave exactly like whole bitsets. */
class OpSetTest {
    @Test
    void compactCopiesAgreeWithPlainBitsets() {
        Seeded.forAll("compact OpSet copies", 200, seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            int size = 1 + random.nextInt(400);
            OpSet set = new OpSet(size);
            BitSet reference = new BitSet(size);
            List<long[]> copies = new ArrayList<>();
            List<BitSet> copied = new ArrayList<>();
            for (int step = 0; step < 2000; step++) {
                // Mostly fill from the low end, as the search does, with some removals and far-out members.
                int op = random.nextInt(4) == 0 ? random.nextInt(size)
                        : Math.min(size - 1, reference.nextClearBit(0) + random.nextInt(8));
                if (reference.get(op) && random.nextBoolean()) {
                    set.remove(op);
                    reference.clear(op);
                } else if (!reference.get(op)) {
                    set.add(op);
                    reference.set(op);
                }
                for (int i = 0; i < copies.size(); i++) {
                    assertEquals(reference.equals(copied.get(i)), set.sameWords(copies.get(i)), "sameWords");
                    BitSet missing = (BitSet) copied.get(i).clone();
                    missing.andNot(reference);
                    assertEquals(missing.isEmpty(), set.containsAll(copies.get(i)), "containsAll");
                }
                if (random.nextInt(50) == 0) {
                    copies.add(set.copyWords());
                    copied.add((BitSet) reference.clone());
                }
            }
            long[] now = set.copyWords();
            assertEquals(true, set.sameWords(now), Arrays.toString(now));
        });
    }
}
