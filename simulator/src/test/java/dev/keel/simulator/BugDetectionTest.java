package dev.keel.simulator;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The simulator is worth something only if it catches a broken kernel. Each case reintroduces a classic Raft
 * bug ({@link BugCases}: four in the kernel through its test jar's bug injector, one in the host) and runs seeds
 * until a check fails; the test fails if none does within the bound. The fault mix is the one that exposes the
 * bug soonest; every seed still draws its own intensities within it.
 */
class BugDetectionTest {
    @TestFactory
    Stream<DynamicTest> everyInjectedBugIsCaught() {
        return BugCases.CASES.stream().map(c -> DynamicTest.dynamicTest(c.bug(), () -> hunt(c)));
    }

    /** A failure leaves the seed, the replay command, the history as EDN and, for histories, the HTML report. */
    private static void checkFailureReport(Simulation sim, SimResult result) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("keel-sim-failure");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        SimulatorCli cli = new SimulatorCli(System.out, new java.io.PrintStream(err, true,
                java.nio.charset.StandardCharsets.UTF_8));
        cli.out = dir;
        cli.report(sim, result);
        String text = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        String name = "seed-" + Long.toHexString(result.config().seed());
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("replay: bin/keel-sim --seed 0x"), text);
        org.junit.jupiter.api.Assertions.assertTrue(java.nio.file.Files.size(dir.resolve(name + ".edn")) > 0);
        if (result.failedCheck().equals("linearizability")) {
            String html = java.nio.file.Files.readString(dir.resolve(name + ".html"));
            org.junit.jupiter.api.Assertions.assertTrue(html.contains("<html") || html.contains("<!DOCTYPE"), "HTML");
        }
        try (var files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : files.toList()) {
                java.nio.file.Files.delete(f);
            }
        }
        java.nio.file.Files.delete(dir);
    }

    private static void hunt(BugCases.Case c) throws java.io.IOException {
        long[] seeds = c.seeds();
        for (int i = 0; i < seeds.length; i++) {
            Simulation sim = c.simulation(seeds[i]);
            SimResult result = sim.run();
            if (!result.passed()) {
                checkFailureReport(sim, result);
                String first = result.detail().split("\n")[0];
                System.out.println("bug " + c.bug() + " caught by seed 0x" + Long.toHexString(seeds[i]) + " (#" + i
                        + "): " + result.failedCheck() + " — " + (first.length() > 200 ? first.substring(0, 200)
                        + "..." : first));
                return;
            }
        }
        fail("bug " + c.bug() + " was not caught within " + c.maxSeeds() + " seeds (" + c.faults() + ")");
    }
}
