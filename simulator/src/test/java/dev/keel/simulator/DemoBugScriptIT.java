package dev.keel.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/keel-sim --demo-bug} as a user runs it from the built tree (after package: it needs the jars). */
class DemoBugScriptIT {
    private static final Path SCRIPT = Path.of(System.getProperty("keel.home", ".."), "bin", "keel-sim");

    @Test
    void listWorksFromTheBuiltTree() throws Exception {
        Result r = run("--demo-bug", "list");
        assertEquals(0, r.code, r.text);
        assertTrue(r.text.startsWith("Bugs the simulator can be shown to catch"), r.text);
        for (BugCases.Case c : BugCases.CASES) {
            assertTrue(r.text.contains("  " + c.bug() + " "), r.text);
        }
    }

    @Test
    void aDemoRunsFromTheScriptAndExitsZeroWhenTheBugIsCaught(@TempDir Path dir) throws Exception {
        Result r = run("--demo-bug", "vote-without-log-check", "--out", dir.toString());
        assertEquals(0, r.code, r.text);
        assertTrue(r.text.contains("Caught vote-without-log-check with seed 0x"), r.text);
        assertTrue(r.text.contains("Replay: bin/keel-sim --demo-bug vote-without-log-check --seed 0x"), r.text);
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".edn")), "the history is written");
        }
    }

    private record Result(int code, String text) {
    }

    private static Result run(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = SCRIPT.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        return new Result(p.exitValue(), text);
    }
}
