package dev.keel.kernel.testing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PropertyTest {

    @Test
    void sameNameGivesSameSeeds() {
        List<Long> first = new ArrayList<>();
        List<Long> second = new ArrayList<>();
        Property.forAll("seeds", 5, first::add);
        Property.forAll("seeds", 5, second::add);
        assertEquals(first, second);
        assertEquals(5, first.size());
        assertNotEquals(first.get(0), first.get(1));
    }

    @Test
    void failureNamesTheSeedAndTheReplayCommand() {
        AssertionError error = assertThrows(AssertionError.class,
                () -> Property.forAll("always fails", 3, seed -> {
                    throw new IllegalStateException("boom");
                }));
        String message = error.getMessage();
        assertTrue(message.contains("with seed 0x"), message);
        assertTrue(message.contains("-Dtest=PropertyTest#failureNamesTheSeedAndTheReplayCommand"), message);
        assertTrue(message.contains("-pl kernel"), message);
        assertTrue(message.contains("boom"), message);
    }
}
