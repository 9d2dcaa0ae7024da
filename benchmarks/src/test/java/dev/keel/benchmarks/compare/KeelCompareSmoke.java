package dev.keel.benchmarks.compare;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/keel-compare --quick} end to end against both systems as processes (3 Keel members via
 * bin/keel-cluster, 3 etcd members): about three minutes on two cores, so it runs only with
 * {@code mvn -B verify -pl benchmarks -Pcompare-smoke} (needs the built node/target/keel.jar and etcd).
 */
class KeelCompareSmoke {
    @Test
    void aQuickRunMeasuresEveryWorkloadOnBothSystems() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("keel-compare-smoke");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = KeelCompare.run(new String[] {"--quick", "--no-doc", "--repo", repo.toString(), "--work-dir",
                work.resolve("w").toString(), "--keel-port", "28379", "--etcd-port", "29379"},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, text);
        assertTrue(!text.contains("failed"), text);
        for (Scenario s : Scenario.values()) {
            if (s.isLoad()) {
                assertTrue(text.contains("  Keel " + s.cli + ":") && text.contains("  etcd " + s.cli + ":"), text);
            }
        }
        assertTrue(text.contains("| `VmRSS` after writing |"), text);
    }
}
