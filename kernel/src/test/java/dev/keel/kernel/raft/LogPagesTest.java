package dev.keel.kernel.raft;

import dev.keel.kernel.util.SplitMix64;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-memory log's entry bytes grow a page at a time: capacity stays within one page (plus page tails) of the
 * live entries, compaction returns whole pages, and every entry survives growth, truncation and compaction.
 */
class LogPagesTest {
    private static final int MAX_ENTRY = 40_000;

    @Test
    void entriesStayIntactAndCapacityStaysWithinAPageOfTheLiveBytes() {
        InMemoryLogStorage log = new InMemoryLogStorage(ConfState.ofVoters(1));
        SplitMix64 random = new SplitMix64(99);
        UnsafeBuffer entry = new UnsafeBuffer(new byte[MAX_ENTRY]);
        EntryView view = new EntryView();
        int[] lengths = new int[2000];
        for (int i = 1; i < lengths.length; i++) {
            lengths[i] = random.nextInt(MAX_ENTRY);
            fill(entry, i, lengths[i]);
            log.append(1, EntryType.NORMAL, entry, 0, lengths[i]);
            long live = 0;
            for (int j = 1; j <= i; j++) {
                live += lengths[j];
            }
            long pages = (log.dataCapacityBytes() + LogPages.PAGE_SIZE - 1) / LogPages.PAGE_SIZE;
            assertTrue(log.dataCapacityBytes() <= live + LogPages.PAGE_SIZE + pages * MAX_ENTRY,
                    "capacity " + log.dataCapacityBytes() + " for " + live + " live bytes");
        }
        log.truncateAfter(1500);
        for (int i = 1501; i < lengths.length; i++) {
            lengths[i] = random.nextInt(MAX_ENTRY);
            fill(entry, i, lengths[i]);
            log.append(1, EntryType.NORMAL, entry, 0, lengths[i]);
        }
        long before = log.dataCapacityBytes();
        log.saveSnapshot(1200, 1, ConfState.ofVoters(1), entry, 0, 0);
        log.compact(1200);
        assertTrue(log.dataCapacityBytes() < before, "compaction released the emptied pages");
        for (long i = 1201; i <= log.lastIndex(); i++) {
            log.entry(i, view);
            assertEquals(lengths[(int) i], view.length());
            for (int b = 0; b < view.length(); b++) {
                if (view.buffer().getByte(view.offset() + b) != (byte) (i * 7 + b)) {
                    throw new AssertionError("entry " + i + " differs at byte " + b);
                }
            }
        }
    }

    private static void fill(UnsafeBuffer entry, long seed, int length) {
        for (int b = 0; b < length; b++) {
            entry.putByte(b, (byte) (seed * 7 + b));
        }
    }
}
