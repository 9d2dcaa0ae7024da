package dev.keel.linearizability.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryBuilderTest {
    @Test
    void recordsEventsInOrderWithLogicalTimes() {
        History history = History.builder()
                .invoke(0, "write", 1).invoke(1, "read", null)
                .ok(0).ok(1, 1)
                .invoke(0, "cas", List.of(1, 2)).fail(0)
                .invoke(1, "write", 3).info(1)
                .invoke(2, "write", 4)
                .build();
        assertEquals(List.of(
                new Operation(0, "write", 1L, 1L, OpType.OK, 0, 2, null),
                new Operation(1, "read", null, 1L, OpType.OK, 1, 3, null),
                new Operation(0, "cas", List.of(1L, 2L), List.of(1L, 2L), OpType.FAIL, 4, 5, null),
                new Operation(1, "write", 3L, 3L, OpType.INFO, 6, 7, null),
                new Operation(2, "write", 4L, null, OpType.INFO, 8, Operation.NEVER, null)), history.operations());
    }

    @Test
    void explicitTimesMayRepeatButNotGoBack() {
        History.Builder builder = History.builder().at(10).invoke(0, "read", null).at(10).ok(0, 1);
        assertEquals(10, builder.build().operations().get(0).completeTime());
        assertThrows(IllegalArgumentException.class, () -> builder.at(9));
    }

    @Test
    void misuseIsExplained() {
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> History.builder().invoke(0, "read", null).invoke(0, "read", null));
        assertTrue(twice.getMessage().contains("a process runs one operation at a time"), twice.getMessage());
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> History.builder().ok(3));
        assertTrue(none.getMessage().contains("process 3 completes (ok) but has no operation open"));
        assertThrows(IllegalArgumentException.class,
                () -> new Operation(0, "read", null, null, OpType.OK, 5, 4, null));
        assertThrows(IllegalArgumentException.class,
                () -> new Operation(0, "read", null, null, OpType.OK, 5, Operation.NEVER, null));
    }
}
