package dev.keel.replica;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The bookkeeping of waiting writes, case by case. */
class PendingWritesTest {
    private static final long SELF = 1;

    @Test
    void aProposalAtAnIndexWeUsedBeforeLeavesTheEarlierOneToItsEnvelope() {
        PendingWrites writes = new PendingWrites();
        long first = writes.add(100, 50);
        writes.proposedAt(first, 53, 2); // we led term 2; a leader of term 3 then overwrote index 53
        long second = writes.add(200, 50);
        writes.proposedAt(second, 53, 4); // we lead again in term 4 and reuse index 53
        assertNull(writes.overwrittenAt(53, SELF, SELF, second), "our second write is what was applied");
        PendingWrites.Waiting w = writes.take(second);
        assertNotNull(w);
        assertEquals(200, w.token);
        PendingWrites.Waiting earlier = writes.take(first);
        assertNotNull(earlier, "the first write still waits: another member may commit it yet");
        assertEquals(0, earlier.index);
    }

    @Test
    void anIndexAppliedWithAnotherEntryFailsOurWriteThere() {
        PendingWrites writes = new PendingWrites();
        long id = writes.add(7, 50);
        writes.proposedAt(id, 10, 3);
        PendingWrites.Waiting lost = writes.overwrittenAt(10, SELF, 2, 99);
        assertNotNull(lost);
        assertEquals(7, lost.token);
        assertEquals(0, writes.size());
    }

    @Test
    void requestIdsOfALaterLifeNeverRepeatAnEarlierLifes() {
        PendingWrites earlier = new PendingWrites();
        earlier.startLife(1);
        long a = earlier.add(1, 10);
        PendingWrites later = new PendingWrites();
        later.startLife(2);
        long b = later.add(1, 10);
        assertEquals(1L << PendingWrites.COUNTER_BITS, b - a, "a new life starts one boot stamp above");
    }
}
