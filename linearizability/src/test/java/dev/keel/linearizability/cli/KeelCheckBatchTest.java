package dev.keel.linearizability.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.linearizability.cli.KeelCheckInputTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keel-check on several histories at once, with real files: lines, summary, exit codes, directories, reports. */
class KeelCheckBatchTest {
    static final String LINEARIZABLE = KeelCheckInputTest.LINEARIZABLE;
    /** The same, but the read returns a value nobody wrote. */
    static final String NOT_LINEARIZABLE = LINEARIZABLE.replace(":ok :f :read :value 1}", ":ok :f :read :value 2}");

    @TempDir
    Path temp;

    @Test
    void eachHistoryGetsALineAndTheWorstOutcomeIsTheExitCode() throws IOException {
        Path ok = file("ok.edn", LINEARIZABLE);
        Path bad = file("bad.edn", NOT_LINEARIZABLE);
        Path broken = file("broken.edn", "[{:process 0");
        Run run = KeelCheckInputTest.run(ok.toString(), bad.toString(), broken.toString(), "-");
        assertEquals(1, run.code(), run.out() + run.err()); // a violation beats an unreadable file
        List<String> lines = run.out().strip().lines().toList();
        assertEquals(5, lines.size(), run.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches(Pattern.quote(ok + ": linearizable (2 operations, ")
                + "\\d+ ms\\)")), run.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(bad + ": not linearizable: p1 :read nil → ok 2 @[2,3]"
                + " cannot be linearized; 1 of 2 completed operations linearized; ")), run.out());
        assertTrue(lines.contains(broken + ": unreadable: line 1, column 2: missing '}' for the collection opened"
                + " here"), run.out());
        assertTrue(lines.contains("-: unreadable: has no operations; nothing to check (pass --allow-empty to accept"
                + " it as linearizable)"), run.out());
        assertTrue(run.lastLine().matches("4 histories: 1 linearizable, 1 not linearizable, 0 unknown, 2 unreadable"
                + " in \\d+\\.\\d s"), run.lastLine());
        assertEquals("", run.err());

        Run withoutViolation = KeelCheckInputTest.run(ok.toString(), broken.toString());
        assertEquals(KeelCheck.EXIT_USAGE, withoutViolation.code(), withoutViolation.out());
        Run allGood = KeelCheckInputTest.run(ok.toString(), ok.toString());
        assertEquals(0, allGood.code(), allGood.out());
        assertTrue(allGood.lastLine().startsWith("2 histories: 2 linearizable, 0 not linearizable"), allGood.out());
    }

    @Test
    void anUnknownHistoryExitsTwoUnlessSomethingWorseHappened() throws IOException {
        String kv = KeelCheckTest.sample("kv-linearizable.edn");
        Run run = KeelCheckInputTest.run("--model", "kv", "--timeout", "0.000001", kv, kv);
        assertEquals(2, run.code(), run.out() + run.err());
        assertTrue(run.out().contains(kv + ": unknown: time budget exhausted"), run.out());
        Path broken = file("broken.edn", "[1 2]");
        Run worse = KeelCheckInputTest.run("--model", "kv", "--timeout", "0.000001", kv, broken.toString());
        assertEquals(KeelCheck.EXIT_USAGE, worse.code(), worse.out());
    }

    @Test
    void aDirectoryMeansEveryEdnFileInItInNameOrder() throws IOException {
        Path dir = Files.createDirectory(temp.resolve("run"));
        Files.writeString(dir.resolve("b.edn"), NOT_LINEARIZABLE);
        Files.writeString(dir.resolve("a.edn"), LINEARIZABLE);
        Files.writeString(dir.resolve("notes.txt"), "not a history");
        Run run = KeelCheckInputTest.run(dir.toString());
        assertEquals(1, run.code(), run.out() + run.err());
        assertTrue(run.out().contains(dir.resolve("a.edn") + ": linearizable"), run.out());
        assertTrue(run.out().contains(dir.resolve("b.edn") + ": not linearizable"), run.out());
        assertFalse(run.out().contains("notes.txt"), run.out());
        assertTrue(run.lastLine().startsWith("2 histories: 1 linearizable, 1 not linearizable"), run.out());

        Path empty = Files.createDirectory(temp.resolve("empty"));
        Run none = KeelCheckInputTest.run(empty.toString());
        assertEquals(KeelCheck.EXIT_USAGE, none.code(), none.out());
        assertEquals("keel-check: " + empty + " is a directory with no *.edn files in it; give the histories or the"
                + " directory that holds them", none.err().strip());
        assertEquals("", none.out());

        Run twice = KeelCheckInputTest.run("-", "-");
        assertEquals(KeelCheck.EXIT_USAGE, twice.code());
        assertEquals("keel-check: - (standard input) can be given only once", twice.err().strip());
    }

    @Test
    void withSeveralHistoriesHtmlIsADirectoryOfReportsNamedAfterThem() throws IOException {
        Path t1 = Files.createDirectories(temp.resolve("store/t1"));
        Path t2 = Files.createDirectories(temp.resolve("store/t2"));
        Files.writeString(t1.resolve("history.edn"), NOT_LINEARIZABLE);
        Files.writeString(t2.resolve("history.edn"), LINEARIZABLE);
        Path solo = file("solo.edn", NOT_LINEARIZABLE);
        String[] histories = {t1.resolve("history.edn").toString(), t2.resolve("history.edn").toString(),
            solo.toString()};

        Path notADirectory = file("report.html", "");
        Run refused = KeelCheckInputTest.run(concat("--html", notADirectory.toString(), histories));
        assertEquals(KeelCheck.EXIT_USAGE, refused.code(), refused.out() + refused.err());
        assertEquals("", refused.out()); // found before checking anything
        assertTrue(refused.err().contains("with several histories --html names a directory"), refused.err());
        Run missing = KeelCheckInputTest.run(concat("--html", temp.resolve("nowhere").toString(), histories));
        assertTrue(missing.err().contains("does not exist (create it: mkdir -p "), missing.err());

        Path reports = Files.createDirectory(temp.resolve("reports"));
        Files.writeString(reports.resolve("t2-history.html"), "<html>an earlier failure</html>");
        Run run = KeelCheckInputTest.run(concat("--html", reports.toString(), histories));
        assertEquals(1, run.code(), run.out() + run.err());
        assertTrue(Files.readString(reports.resolve("t1-history.html")).contains("Not linearizable"));
        assertTrue(Files.readString(reports.resolve("solo.html")).contains("Not linearizable"));
        assertFalse(Files.exists(reports.resolve("t2-history.html")), "the stale report of a passing history");
        assertTrue(run.out().contains("; report: " + reports.resolve("solo.html") + "\n"), run.out());
    }

    private Path file(String name, String text) throws IOException {
        Path path = temp.resolve(name);
        Files.writeString(path, text);
        return path;
    }

    private static String[] concat(String option, String value, String[] rest) {
        String[] all = new String[rest.length + 2];
        all[0] = option;
        all[1] = value;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }
}
