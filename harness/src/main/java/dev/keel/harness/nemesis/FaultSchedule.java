package dev.keel.harness.nemesis;

import java.util.Set;

/** Placeholder: the nemesis work replaces this class with the real one. */
public final class FaultSchedule {
    private FaultSchedule() {
    }

    /**
     * Draws a schedule from {@code seed}: alternating fault and quiet periods over {@code durationMillis}, each
     * fault of one of {@code families}. The same arguments always give the same schedule.
     */
    public static FaultSchedule draw(long seed, Set<FaultFamily> families, long durationMillis, int members) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** @return the schedule, one line per step, for printing and for the run's folder */
    public String describe() {
        throw new UnsupportedOperationException("not built yet");
    }
}
