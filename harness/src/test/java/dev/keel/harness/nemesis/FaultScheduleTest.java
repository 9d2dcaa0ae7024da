package dev.keel.harness.nemesis;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultScheduleTest {
    private static final Set<FaultFamily> ALL = EnumSet.allOf(FaultFamily.class);

    @Test
    void theSameSeedGivesTheSameSchedule() {
        FaultSchedule first = FaultSchedule.draw(42, ALL, 60_000, 5);
        FaultSchedule again = FaultSchedule.draw(42, ALL, 60_000, 5);
        assertEquals(first, again);
        assertEquals(first.describe(), again.describe());
    }

    @Test
    void differentSeedsGiveDifferentSchedules() {
        assertNotEquals(FaultSchedule.draw(1, ALL, 60_000, 3).describe(),
                FaultSchedule.draw(2, ALL, 60_000, 3).describe());
    }

    @Test
    void everyKindIsDrawnOverManySeeds() {
        Set<FaultKind> seen = EnumSet.noneOf(FaultKind.class);
        for (long seed = 0; seed < 300; seed++) {
            FaultSchedule.draw(seed, ALL, 60_000, 5).steps().forEach(step -> seen.add(step.kind()));
        }
        assertEquals(EnumSet.allOf(FaultKind.class), seen);
    }

    @Test
    void onlyTheChosenFamiliesAreDrawn() {
        Set<FaultFamily> chosen = EnumSet.of(FaultFamily.KILL, FaultFamily.CLOCK);
        for (long seed = 0; seed < 50; seed++) {
            for (FaultStep step : FaultSchedule.draw(seed, chosen, 60_000, 3).steps()) {
                assertTrue(chosen.contains(step.kind().family()), step.describe());
            }
        }
    }

    @Test
    void quietAndFaultPeriodsStayInBoundsAndInsideTheRun() {
        for (long seed = 0; seed < 200; seed++) {
            List<FaultStep> steps = FaultSchedule.draw(seed, ALL, 50_000, 3).steps();
            assertTrue(steps.size() >= 7 && steps.size() <= 14, "seed " + seed + ": " + steps.size() + " faults");
            long previousEnd = 0;
            for (FaultStep step : steps) {
                long quiet = step.startMillis() - previousEnd;
                assertTrue(quiet >= FaultSchedule.QUIET_MIN_MILLIS && quiet <= FaultSchedule.QUIET_MAX_MILLIS,
                        "quiet " + quiet + " before " + step.describe());
                assertTrue(step.durationMillis() >= FaultSchedule.FAULT_MIN_MILLIS
                        && step.durationMillis() <= FaultSchedule.FAULT_MAX_MILLIS, step.describe());
                previousEnd = step.endMillis();
            }
            assertTrue(previousEnd <= 50_000, "the last fault ends at " + previousEnd);
        }
    }

    @Test
    void drawnParametersRespectTheirRanges() {
        for (long seed = 0; seed < 300; seed++) {
            for (FaultStep step : FaultSchedule.draw(seed, ALL, 60_000, 5).steps()) {
                long amount = step.amount();
                switch (step.kind()) {
                    case DELAY -> assertTrue(amount >= 50 && amount <= 500, step.describe());
                    case DROP -> assertTrue(amount >= 10 && amount <= 50, step.describe());
                    case CLOCK_JUMP -> assertTrue(Math.abs(amount) >= 1_000 && Math.abs(amount) <= 10_000,
                            step.describe());
                    case CLOCK_DRIFT -> assertTrue(amount >= 500 && amount <= 2_000, step.describe());
                    case ISOLATE_SLOW_LEADER -> assertTrue(amount >= 300 && amount <= 500, step.describe());
                    case TRANSFER_LEADER -> assertTrue(amount >= 2 && amount <= 4
                            && step.picks().size() == amount, step.describe());
                    case MAJORITY_MINORITY, BRIDGE, RING, KILL_MAJORITY ->
                            assertEquals(Set.of(0, 1, 2, 3, 4), Set.copyOf(step.picks()), step.describe());
                    default -> { }
                }
                assertTrue(step.picks().stream().allMatch(p -> p < 5), step.describe());
            }
        }
    }

    @Test
    void kindsThatNeedMoreMembersAreNotDrawnForSmallClusters() {
        for (long seed = 0; seed < 100; seed++) {
            for (FaultStep step : FaultSchedule.draw(seed, ALL, 60_000, 3).steps()) {
                assertTrue(step.kind() != FaultKind.RING, "a ring of three is no partition: " + step.describe());
            }
            for (FaultStep step : FaultSchedule.draw(seed, ALL, 60_000, 1).steps()) {
                assertTrue(step.kind().minMembers() <= 1, step.describe());
                assertTrue(step.kind() != FaultKind.REPLACE_MEMBER, "membership below 3: " + step.describe());
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> FaultSchedule.draw(1, EnumSet.of(FaultFamily.MEMBERSHIP), 60_000, 2));
    }

    @Test
    void noFamiliesGiveNoFaults() {
        assertEquals(List.of(), FaultSchedule.draw(7, Set.of(), 60_000, 3).steps());
        assertEquals("no faults\n", FaultSchedule.draw(7, Set.of(), 60_000, 3).describe());
    }

    @Test
    void describePrintsOneLinePerStep() {
        FaultSchedule schedule = FaultSchedule.of(List.of(
                new FaultStep(12_300, 4_000, FaultKind.ISOLATE_LEADER, List.of(), 0),
                new FaultStep(18_000, 2_500, FaultKind.DELAY, List.of(0, 2, 1, 0), 230),
                new FaultStep(21_000, 3_000, FaultKind.CLOCK_JUMP, List.of(1), -4_200)));
        assertEquals("""
                +12.3s  fault 4.0s  isolate-leader
                +18.0s  fault 2.5s  delay 230ms on #0->#2 #1->#0
                +21.0s  fault 3.0s  clock-jump -4.2s on #1
                """, schedule.describe());
    }

    @Test
    void explicitStepsMustNotOverlap() {
        assertThrows(IllegalArgumentException.class, () -> FaultSchedule.of(List.of(
                new FaultStep(1_000, 4_000, FaultKind.KILL_LEADER, List.of(), 0),
                new FaultStep(3_000, 1_000, FaultKind.KILL_LEADER, List.of(), 0))));
        assertThrows(IllegalArgumentException.class,
                () -> new FaultStep(0, 0, FaultKind.KILL_LEADER, List.of(), 0));
    }
}
