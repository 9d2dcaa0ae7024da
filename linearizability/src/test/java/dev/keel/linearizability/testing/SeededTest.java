package dev.keel.linearizability.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.linearizability.gen.HistoryGenerator;
import dev.keel.linearizability.gen.HistoryGenerator.Spec;
import dev.keel.linearizability.history.History;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness itself: reproducible seeds, replay hints, and shrinking of failing histories. */
class SeededTest {
    @Test
    void seedsAreReproducibleAndDifferByName() {
        List<Long> first = new ArrayList<>();
        List<Long> again = new ArrayList<>();
        List<Long> other = new ArrayList<>();
        Seeded.forAll("some property", 5, first::add);
        Seeded.forAll("some property", 5, again::add);
        Seeded.forAll("another property", 5, other::add);
        assertEquals(first, again);
        assertNotEquals(first, other);
        assertEquals(5, first.stream().distinct().count());
    }

    @Test
    void aFailureNamesTheSeedAndHowToReplayIt() {
        AssertionError e = assertThrows(AssertionError.class, () -> Seeded.forAll("always fails", 3, seed -> {
            throw new IllegalStateException("boom");
        }));
        assertTrue(e.getMessage().contains("property 'always fails' failed with seed 0x"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dtest=SeededTest#aFailureNamesTheSeedAndHowToReplayIt"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dkeel.seed=0x"), e.getMessage());
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
    }

    @Test
    void failingHistoriesAreShrunkToWhatStillFails() {
        Seeded.HistoryProperty noCas = history -> assertTrue(
                history.operations().stream().noneMatch(op -> op.f().equals("cas")), "has a cas");
        AssertionError e = assertThrows(AssertionError.class, () -> Seeded.forAllHistories("no cas", 5,
                seed -> HistoryGenerator.generate(new Spec("cas-register", 40, 4, 1, 0.1, 3, seed)), noCas));
        assertTrue(e.getMessage().contains("smallest failing history (1 of 40 operations)"), e.getMessage());
        assertTrue(e.getMessage().contains(":f :cas"), e.getMessage());

        History big = HistoryGenerator.generate(new Spec("cas-register", 40, 4, 1, 0.1, 3, 1));
        History smallest = Seeded.shrink(big, noCas);
        assertEquals(1, smallest.size());
        assertEquals("cas", smallest.operations().get(0).f());
    }
}
