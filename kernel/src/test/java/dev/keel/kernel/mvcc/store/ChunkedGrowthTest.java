package dev.keel.kernel.mvcc.store;

import dev.keel.kernel.util.SplitMix64;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store's growable storage grows in fixed chunks: its capacity exceeds what it holds by at most one chunk
 * (never the doubling slack of a copied array), and growth moves nothing, so every row and value stays intact.
 */
class ChunkedGrowthTest {
    private static final int PAGE = 1 << 20;
    /** The largest slot the test's values (below 600 bytes) take. */
    private static final int MAX_SLOT = 1024;

    @Test
    void revisionRowsAndValuesGrowByOneChunkAndStayIntact() {
        RevisionRecords records = new RevisionRecords();
        SplitMix64 random = new SplitMix64(7);
        int rows = 3 * LongColumn.CHUNK + 123;
        byte[] value = new byte[600];
        UnsafeBuffer source = new UnsafeBuffer(value);
        for (int i = 0; i < rows; i++) {
            int length = random.nextInt(value.length);
            fillValue(value, i, length);
            int id = records.addPut(i % 1000, i + 1, 0, i + 1, 1, i, source, 0, length, RevisionRecords.NIL);
            assertEquals(i, id);
            assertTrue(records.capacity() - (i + 1) < LongColumn.CHUNK,
                    "row capacity " + records.capacity() + " for " + (i + 1) + " rows is more than one chunk over");
            // slack: the current page's uncarved rest, plus each full page's tail too short for the next slot
            long pages = records.valueBytesCapacity() / PAGE;
            assertTrue(records.valueBytesCapacity() <= records.valueBytesReserved() + PAGE + pages * MAX_SLOT,
                    "value pages " + records.valueBytesCapacity() + " exceed reserved "
                            + records.valueBytesReserved() + " by more than one page");
        }
        SplitMix64 replay = new SplitMix64(7);
        for (int i = 0; i < rows; i++) {
            int length = replay.nextInt(value.length);
            assertEquals(i + 1, records.main(i));
            assertEquals(i, records.lease(i));
            assertEquals(i % 1000, records.keySlot(i));
            assertEquals(length, records.valueLength(i));
            assertValue(records.valueBuffer(i), records.valueOffset(i), i, length);
        }
    }

    @Test
    void keySlotsGrowByOneChunkAndKeepTheirKeysAndOrder() {
        KeyIndex keys = new KeyIndex();
        int count = 2 * IntColumn.CHUNK + 77;
        UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
        for (int i = 0; i < count; i++) {
            int length = key.putStringWithoutLengthAscii(0, String.format("k%09d", i));
            keys.insert(key, 0, length);
        }
        assertEquals(count, keys.size());
        for (int i = 0; i < count; i++) {
            int length = key.putStringWithoutLengthAscii(0, String.format("k%09d", i));
            int slot = keys.find(key, 0, length);
            assertTrue(slot != KeyIndex.NIL, "key " + i + " is found after growth");
            assertEquals(0, keys.compareTo(key, 0, length, slot));
        }
        KeyCursor cursor = new KeyCursor();
        int seen = 0;
        for (int slot = keys.first(cursor); slot != KeyIndex.NIL; slot = keys.next(cursor)) {
            int length = key.putStringWithoutLengthAscii(0, String.format("k%09d", seen));
            assertEquals(0, keys.compareTo(key, 0, length, slot), "ordered iteration at " + seen);
            seen++;
        }
        assertEquals(count, seen);
    }

    @Test
    void columnsAddChunksWithoutMovingEntries() {
        LongColumn column = new LongColumn();
        assertEquals(0, column.capacity(), "an empty column holds no chunk");
        for (int i = 0; i < 5 * LongColumn.CHUNK; i++) {
            column.ensure(i);
            column.set(i, i * 31L);
            assertEquals((i / LongColumn.CHUNK + 1) * LongColumn.CHUNK, column.capacity());
        }
        for (int i = 0; i < 5 * LongColumn.CHUNK; i++) {
            assertEquals(i * 31L, column.get(i));
        }
    }

    private static void fillValue(byte[] value, int seed, int length) {
        for (int b = 0; b < length; b++) {
            value[b] = (byte) (seed * 131 + b);
        }
    }

    private static void assertValue(DirectBuffer buffer, int offset, int seed, int length) {
        for (int b = 0; b < length; b++) {
            if (buffer.getByte(offset + b) != (byte) (seed * 131 + b)) {
                throw new AssertionError("value of row " + seed + " differs at byte " + b);
            }
        }
    }
}
