package dev.keel.simulator;

import org.junit.jupiter.api.Test;

import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SeedStreamTest {
    @Test
    void theStreamGivesTheSeedSequencesValues() {
        long[] listed = SimulatorCli.seedSequence(0x6d656d62L, 1000);
        SeedStream stream = new SeedStream(0x6d656d62L, 1000);
        long[] streamed = new long[1000];
        for (int i = 0; i < streamed.length; i++) {
            streamed[i] = stream.nextLong();
        }
        assertArrayEquals(listed, streamed);
        assertFalse(stream.hasNext());
        assertThrows(NoSuchElementException.class, stream::nextLong);
    }

    @Test
    void aHugeCountCostsNothingUpFront() {
        SeedStream stream = new SeedStream(0, 300_000_000_000L);
        assertEquals(SimulatorCli.seedSequence(0, 1)[0], stream.nextLong());
        assertEquals(300_000_000_000L, stream.count());
    }

    @Test
    void aReplayIsOneSeed() {
        SeedStream stream = SeedStream.of(0x2a);
        assertEquals(0x2a, stream.nextLong());
        assertFalse(stream.hasNext());
    }
}
