package dev.keel.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SimulatorCli.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aReplayedSeedPassesAndPrintsItsTraceHashAndSpeed() {
        assertEquals(0, run("--seed", "0x2a", "--virtual-seconds", "5", "--faults", "crash,loss"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("seed 0x2a passed"), text);
        assertTrue(text.contains("trace hash 0x"), text);
        assertTrue(text.contains("x real time"), text);
    }

    @Test
    void seedsRunInSequenceAndTheSameArgumentsGiveTheSameOutput() {
        assertEquals(0, run("--seeds", "3", "--virtual-seconds", "3", "--nodes", "5"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("seeds 3/3, failures 0"));
    }

    @Test
    void seedCountsBeyondAnIntAreAccepted(@TempDir Path dir) {
        // 3e9 seeds would not fit a list; bad usage elsewhere shows the count parsed and streaming started.
        assertEquals(64, run("--seeds", "3000000000", "--nodes", "4", "--out", dir.toString()));
        assertOneLineError("--nodes must be 3 or 5");
    }

    @Test
    void aBadOutIsRefusedInOneLineBeforeAnySeedRuns(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertEquals(64, run("--seeds", "1000", "--out", file.toString()));
        assertOneLineError("is a file, not a directory");
        assertEquals(64, run("--seeds", "1000", "--out", file.resolve("below").toString()));
        assertOneLineError("a-file is a file, not a directory");
        // /proc refuses new files even to root, for whom permission bits would not.
        assertEquals(64, run("--seeds", "1000", "--out", "/proc/keel-sim-out"));
        assertOneLineError("cannot write in /proc");
        assertEquals("", out.toString(StandardCharsets.UTF_8), "no seed ran");
        assertEquals(0, run("--seed", "7", "--virtual-seconds", "2", "--out", dir.resolve("new/dir").toString()));
        assertFalse(Files.exists(dir.resolve("new")), "a passing run leaves no directory behind");
    }

    @Test
    void virtualSecondsBeyondTheVirtualClockAreBadUsage(@TempDir Path dir) {
        String tooMany = String.valueOf(SimConfig.MAX_VIRTUAL_SECONDS + 1);
        assertEquals(64, run("--seed", "1", "--virtual-seconds", tooMany, "--out", dir.toString()));
        assertOneLineError("--virtual-seconds must be at most " + SimConfig.MAX_VIRTUAL_SECONDS);
        assertEquals(64, run("--seed", "1", "--virtual-seconds", "99999999999", "--out", dir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("keel-sim: Invalid value"), err.toString());
        assertEquals("", out.toString(StandardCharsets.UTF_8), "no seed ran");
    }

    @Test
    void versionSaysWhichSimulator() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("keel-sim Version: " + SimulatorCli.VERSION));
    }

    /**
     * bin/keel-sim finds its jar from its real path, so a symlink elsewhere (say, in ~/bin) works. The script is
     * copied into a checkout-shaped folder without a jar: through the link it must look for the jar in that
     * folder (and say how to build it), not next to the link. The build runs this before the jar is packaged.
     */
    @Test
    void theScriptWorksThroughASymlink(@TempDir Path dir) throws Exception {
        Path checkout = dir.resolve("checkout");
        Path script = Files.createDirectories(checkout.resolve("bin")).resolve("keel-sim");
        Files.copy(Path.of("..", "bin", "keel-sim"), script);
        script.toFile().setExecutable(true);
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("elsewhere")).resolve("keel-sim"),
                script);
        Process p = new ProcessBuilder(link.toString(), "--version").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(64, p.waitFor(), text);
        assertTrue(text.contains(checkout.toRealPath().resolve("simulator/target/keel-sim.jar") + " not found"), text);
        assertTrue(text.contains("mvn -B -q package -DskipTests"), text);
    }

    @Test
    void oneFaultKindGivenMeansEverySeedGetsIt(@TempDir Path dir) {
        for (String kind : new String[]{"crash", "clock-jump"}) {
            for (long seed : SimulatorCli.seedSequence(kind.hashCode(), 40)) {
                FaultPlan plan = new Simulation(new SimConfig(seed, 3, 2, FaultKind.parse(kind))).plan;
                assertEquals(FaultKind.parse(kind), plan.active, kind + " seed 0x" + Long.toHexString(seed));
            }
        }
        assertEquals(0, run("--seed", "5", "--virtual-seconds", "2", "--faults", "crash", "--out", dir.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("faults=crash "), out.toString());
    }

    @Test
    void aLongSeedSaysHowFarItGot(@TempDir Path dir) {
        assertEquals(0, run("--seed", "0x2a", "--virtual-seconds", "20", "--progress-seconds", "0",
                "--out", dir.toString()));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.matches("(?s)seed 0x2a still running after \\d+ wall s: virtual \\d+\\.\\d s, \\d+ events\n.*"),
                text);
    }

    private void assertOneLineError(String expected) {
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("keel-sim: ") && text.contains(expected), text);
        assertEquals(1, text.lines().count(), text);
        err.reset();
    }

    @Test
    void badUsageExitsWith64AndSaysWhy(@TempDir Path dir) {
        assertEquals(64, run("--nodes", "4"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--nodes must be 3 or 5"));
        err.reset();
        assertEquals(64, run("--faults", "crash,meteor"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown fault 'meteor'"));
        err.reset();
        assertEquals(64, run("--seed", "xyz"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--seed must be a number"));
        err.reset();
        assertEquals(64, run("--seed", "1", "--seeds", "2"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("either --seeds or --seed"));
        err.reset();
        assertEquals(64, run("--frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown option"));
    }
}
