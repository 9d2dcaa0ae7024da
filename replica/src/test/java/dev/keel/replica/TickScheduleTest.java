package dev.keel.replica;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TickScheduleTest {
    private static final long MS = 1_000_000;

    @Test
    void deliversOneTickPerIntervalAndNothingEarly() {
        TickSchedule s = new TickSchedule(100 * MS, 0);
        assertEquals(0, s.due(99 * MS));
        assertEquals(1, s.due(100 * MS));
        assertEquals(0, s.due(150 * MS));
        assertEquals(50 * MS, s.nanosUntilNext(150 * MS));
        assertEquals(1, s.due(200 * MS));
    }

    @Test
    void aJumpInTheClockIsDeliveredAsTheTicksItSkipped() {
        TickSchedule s = new TickSchedule(100 * MS, 0);
        assertEquals(600, s.due(60_000 * MS + 50 * MS));
        assertEquals(0, s.due(60_099 * MS));
        assertEquals(1, s.due(60_100 * MS));
    }

    @Test
    void aClockThatGoesBackwardsYieldsNoTicks() {
        TickSchedule s = new TickSchedule(100 * MS, 1_000 * MS);
        assertEquals(0, s.due(0));
        assertEquals(1, s.due(1_100 * MS));
    }

    @Test
    void refusesANonPositiveTick() {
        assertThrows(IllegalArgumentException.class, () -> new TickSchedule(0, 0));
    }
}
