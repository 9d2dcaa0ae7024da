package dev.keel.simulator;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulationSmokeTest {

    @Test
    void aSeedRunsAndReplaysToTheSameTrace() {
        SimConfig config = new SimConfig(42, 3, 10, EnumSet.allOf(FaultKind.class));
        SimResult first = new Simulation(config).run();
        SimResult second = new Simulation(config).run();
        System.out.println(first.detail() + "\n" + first.plan() + "\n" + first.linearizability() + " wall="
                + first.wallNanos() / 1e6 + "ms virtual=" + first.virtualMicros() / 1e6 + "s");
        assertTrue(first.passed(), first.failedCheck() + ": " + first.detail());
        assertEquals(first.traceHash(), second.traceHash());
    }
}
