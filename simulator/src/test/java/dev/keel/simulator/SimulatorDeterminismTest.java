package dev.keel.simulator;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same seed gives the same trace; different seeds give different traces. */
class SimulatorDeterminismTest {

    @Test
    void replayingASeedReproducesItsTraceHash() {
        Set<Long> hashes = new HashSet<>();
        for (long seed : SimulatorCli.seedSequence(77, 6)) {
            SimConfig config = new SimConfig(seed, seed % 2 == 0 ? 3 : 5, 10, EnumSet.allOf(FaultKind.class));
            SimResult first = new Simulation(config).run();
            SimResult again = new Simulation(config).run();
            assertTrue(first.passed(), first.failedCheck() + ": " + first.detail() + "\nreplay: "
                    + config.replayCommand());
            assertEquals(first.traceHash(), again.traceHash(), "seed 0x" + Long.toHexString(seed)
                    + " did not replay identically");
            assertEquals(first.operations(), again.operations());
            hashes.add(first.traceHash());
        }
        assertEquals(6, hashes.size(), "distinct seeds should give distinct traces");
    }
}
