package dev.keel.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoBugTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void theDemoCatchesLocalReadsAndTellsWhereEverythingIs() throws Exception {
        int code = demo("--demo-bug", "local-read", "--out", dir.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(DemoBug.CAUGHT, code, text + err);
        assertTrue(text.startsWith("Injecting local-read into every node's Raft kernel: every node answers"), text);
        assertTrue(text.contains("  seed 1/100 0x"), "progress per seed: " + text);
        Matcher caught = Pattern.compile("Caught local-read with seed 0x([0-9a-f]+) after \\d+ seeds?: the"
                + " (.+?) check failed\\.").matcher(text);
        assertTrue(caught.find(), text);
        String seed = caught.group(1);
        assertTrue(text.contains("\nWhy: "), text);
        Path edn = dir.resolve("seed-" + seed + ".edn");
        assertTrue(Files.size(edn) > 0 && text.contains(edn.toString()), text);
        if (caught.group(2).equals("linearizability")) {
            Path html = dir.resolve("seed-" + seed + ".html");
            assertTrue(Files.readString(html).contains("<canvas id=\"timeline\""), "the interactive report");
            assertTrue(text.contains("Report (open it in a browser): " + html), text);
        }
        assertTrue(text.contains("Replay: bin/keel-sim --demo-bug local-read --seed 0x" + seed + "\n"), text);

        out.reset();
        assertEquals(DemoBug.CAUGHT, demo("--demo-bug", "local-read", "--seed", "0x" + seed, "--out",
                dir.toString()), "the replay command catches it again");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("seed 1/1 0x" + seed + ": FAILED"));
    }

    @Test
    void listNamesEveryBugAndBadNamesGetOneLine() {
        assertEquals(DemoBug.CAUGHT, demo("--demo-bug", "list"));
        String text = out.toString(StandardCharsets.UTF_8);
        for (BugCases.Case c : BugCases.CASES) {
            assertTrue(text.contains("  " + c.bug() + " "), text);
        }
        assertEquals(DemoBug.USAGE, demo("--demo-bug", "no-such-bug"));
        assertEquals("keel-sim: unknown bug 'no-such-bug'; bin/keel-sim --demo-bug list shows the 5 there are\n",
                err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(DemoBug.USAGE, demo("--demo-bug"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("keel-sim: --demo-bug needs a value;"));
    }

    private int demo(String... args) {
        return new DemoBug(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }
}
