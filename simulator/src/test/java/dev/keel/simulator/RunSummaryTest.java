package dev.keel.simulator;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Ctrl-C summary, printed by calling the hook's body directly rather than by sending a signal. */
class RunSummaryTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream to = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void anInterruptedRunPrintsWhatItFoundSoFar() {
        RunSummary summary = new RunSummary();
        summary.record(0x1, true);
        summary.record(0xbeef, false);
        summary.record(0x3, true);
        summary.shutdownHook(to).run();
        assertEquals("keel-sim interrupted: 3 seeds run, 2 passed, 1 failed\n  failed: --seed 0xbeef\n",
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFinishedRunLeavesTheHookSilent() {
        RunSummary summary = new RunSummary();
        summary.record(0x1, true);
        summary.finish();
        summary.shutdownHook(to).run();
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
