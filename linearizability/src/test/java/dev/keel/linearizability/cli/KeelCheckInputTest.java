package dev.keel.linearizability.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keel-check on awkward input, with real files: empty histories, odd options, stdin, huge numbers, reports. */
class KeelCheckInputTest {
    static final String LINEARIZABLE = """
            [{:process 0 :type :invoke :f :write :value 1}
             {:process 0 :type :ok :f :write :value 1}
             {:process 1 :type :invoke :f :read :value nil}
             {:process 1 :type :ok :f :read :value 1}]
            """;

    @TempDir
    Path temp;

    @Test
    void anEmptyHistoryIsNotASilentPass() throws IOException {
        Path empty = file("empty.edn", "[]\n");
        Run run = run(empty.toString());
        assertEquals(KeelCheck.EXIT_USAGE, run.code, run.out + run.err);
        assertTrue(run.err.contains("warning: " + empty + " has no operations"), run.err);
        assertTrue(run.err.contains("--allow-empty"), run.err);
        assertFalse(run.out.contains("linearizable"), run.out);

        Run allowed = run("--allow-empty", empty.toString());
        assertEquals(0, allowed.code, allowed.out + allowed.err);
        assertEquals("linearizable", allowed.lastLine());
    }

    @Test
    void aHistoryOfOnlyIgnoredOperationsIsNotASilentPass() throws IOException {
        Path nemesisOnly = file("nemesis.edn", """
                {:process :nemesis :type :info :f :start :value nil}
                {:process :nemesis :type :info :f :start :value [:isolated]}
                """);
        Run run = run(nemesisOnly.toString());
        assertEquals(KeelCheck.EXIT_USAGE, run.code, run.out + run.err);
        assertTrue(run.err.contains("all 2 events have a :process that is not an integer"), run.err);

        Run allowed = run("--allow-empty", nemesisOnly.toString());
        assertEquals(0, allowed.code, allowed.out + allowed.err);
        assertEquals("linearizable", allowed.lastLine());
    }

    @Test
    void aZeroTimeoutMeansNoLimit() {
        Run run = run("--timeout", "0", "--model", "kv", KeelCheckTest.sample("kv-linearizable.edn"));
        assertEquals(0, run.code, run.out + run.err);
        assertEquals("linearizable", run.lastLine());
    }

    @Test
    void aTimeoutThatIsNotANumberIsOneLineOfError() {
        Run run = run("--timeout", "abc", KeelCheckTest.sample("kv-linearizable.edn"));
        assertEquals(KeelCheck.EXIT_USAGE, run.code, run.err);
        assertEquals(1, run.err.strip().lines().count(), run.err);
        assertTrue(run.err.startsWith("keel-check: Invalid value for option '--timeout': 'abc'"), run.err);
        assertEquals("", run.out);
    }

    @Test
    void anUnknownVerdictNamesTheUndecidedKeys() {
        Run run = run("--timeout", "0.000001", "--model", "kv", KeelCheckTest.sample("kv-linearizable.edn"));
        assertEquals(2, run.code, run.out + run.err);
        assertEquals("unknown", run.lastLine());
        assertTrue(run.out.contains("stopped: time budget exhausted (0 ms); undecided keys: \"a\", \"b\"\n"),
                run.out);
    }

    @Test
    void aDashReadsStandardInput() {
        Run run = runWithInput(new ByteArrayInputStream(LINEARIZABLE.getBytes(StandardCharsets.UTF_8)), "-");
        assertEquals(0, run.code, run.out + run.err);
        assertTrue(run.out.startsWith("history: 2 operations"), run.out);
        assertEquals("linearizable", run.lastLine());

        Run broken = runWithInput(new ByteArrayInputStream("[{:process 0".getBytes(StandardCharsets.UTF_8)), "-");
        assertEquals(KeelCheck.EXIT_USAGE, broken.code, broken.err);
        assertTrue(broken.err.startsWith("keel-check: standard input: line 1, column 2: missing '}'"), broken.err);

        Run notUtf8 = runWithInput(new ByteArrayInputStream(new byte[] {'[', (byte) 0xff, ']'}), "-");
        assertEquals(KeelCheck.EXIT_USAGE, notUtf8.code, notUtf8.err);
        assertTrue(notUtf8.err.contains("cannot read standard input: not UTF-8 text"), notUtf8.err);
    }

    @Test
    void aLeadingByteOrderMarkIsSkipped() throws IOException {
        Path withBom = temp.resolve("bom.edn");
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        Files.write(withBom, bom);
        Files.writeString(withBom, LINEARIZABLE, StandardOpenOption.APPEND);
        Run run = run(withBom.toString());
        assertEquals(0, run.code, run.out + run.err);
        assertEquals("linearizable", run.lastLine());

        Files.write(withBom, bom);
        Files.writeString(withBom, "[{:process 0 :type :invoke :f :read :value nil} oops]", StandardOpenOption.APPEND);
        Run bad = run(withBom.toString());
        assertTrue(bad.err.contains("line 1, column 49: expected an operation map"), bad.err); // the BOM takes no column
    }

    @Test
    void modelErrorsNameTheFileLines() throws IOException {
        Path badCas = file("bad-cas.edn", """
                ; a comment, then a blank line

                [{:process 0 :type :invoke :f :write :value 1}
                 {:process 0 :type :ok :f :write :value 1}
                 {:process :nemesis :type :info :f :start}
                 {:process 1 :type :invoke :f :cas :value 1}
                 {:process 2 :type :invoke :f :read :value nil}

                 {:process 1 :type :ok :f :cas :value 1}]
                """);
        Run run = run(badCas.toString());
        assertEquals(KeelCheck.EXIT_USAGE, run.code, run.out + run.err);
        assertEquals("keel-check: " + badCas + ": line 6 (completed on line 9): :cas needs the value [expected new],"
                + " got 1", run.err.strip());

        Path badKey = file("bad-key.edn", """
                {:process 0 :type :invoke :f :write :value [:k 1]}
                {:process 0 :type :ok :f :write :value [:k 1]}
                {:process 0 :type :invoke :f :put :value [:k 2]}
                """);
        Run keyed = run("--independent", badKey.toString());
        assertEquals(KeelCheck.EXIT_USAGE, keyed.code, keyed.out + keyed.err);
        assertEquals("keel-check: " + badKey + ": line 3 (key :k): cas-register knows :read, :write and :cas,"
                + " not :put", keyed.err.strip());
    }

    @Test
    void aHugeNumberIsAClearErrorNotAStall() throws IOException {
        String digits = "7".repeat(2_000_000);
        Path huge = file("huge.edn", "{:process 0 :type :invoke :f :write :value 1}\n"
                + "{:process 0 :type :ok :f :write :value " + digits + "}\n");
        long start = System.nanoTime();
        Run run = run(huge.toString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(KeelCheck.EXIT_USAGE, run.code, run.err);
        assertEquals("keel-check: " + huge + ": line 2, column 40: a number of 2000000 characters; keel-check reads"
                + " numbers of at most 10000", run.err.strip());
        assertTrue(millis < 10_000, "took " + millis + " ms");

        String longest = "7".repeat(10_000); // still read (as a BigInteger), and quickly
        Path big = file("big.edn", "{:process 0 :type :invoke :f :write :value " + longest + "}\n"
                + "{:process 0 :type :ok :f :write :value " + longest + "}\n");
        Run ok = run(big.toString());
        assertEquals(0, ok.code, ok.out + ok.err);
    }

    @Test
    void aBadReportPathIsFoundBeforeChecking() {
        Path nowhere = temp.resolve("no-such-dir").resolve("report.html");
        Run run = run("--html", nowhere.toString(), KeelCheckTest.sample("cas-register-not-linearizable.edn"));
        assertEquals(KeelCheck.EXIT_USAGE, run.code, run.out + run.err);
        assertEquals("", run.out);
        assertTrue(run.err.contains("the directory " + nowhere.getParent() + " does not exist"), run.err);

        Run directory = run("--html", temp.toString(), KeelCheckTest.sample("cas-register-not-linearizable.edn"));
        assertEquals(KeelCheck.EXIT_USAGE, directory.code, directory.out + directory.err);
        assertTrue(directory.err.contains("is a directory"), directory.err);
    }

    @Test
    void aLinearizableRunRemovesAStaleReportAndSaysNoneWasWritten() throws IOException {
        Path report = file("report.html", "<html>an earlier failure</html>");
        Path history = file("ok.edn", LINEARIZABLE);
        Run run = run("--html", report.toString(), history.toString());
        assertEquals(0, run.code, run.out + run.err);
        assertTrue(run.out.contains("report: none written (no failure to show); removed the earlier " + report),
                run.out);
        assertEquals("linearizable", run.lastLine());
        assertFalse(Files.exists(report));

        Run again = run("--html", report.toString(), history.toString());
        assertTrue(again.out.contains("report: none written (no failure to show)\n"), again.out);

        Run failure = run("--html", report.toString(), KeelCheckTest.sample("cas-register-not-linearizable.edn"));
        assertEquals(1, failure.code, failure.out + failure.err);
        assertTrue(failure.out.contains("report: " + report + "\n"), failure.out);
        assertTrue(Files.readString(report).contains("Not linearizable"));
    }

    @Test
    void anUnwritableReportNeverLosesTheVerdict() {
        Path full = Path.of("/dev/full"); // accepts opening for writing, fails every write: a disk that is full
        Assumptions.assumeTrue(Files.exists(full), "needs Linux's /dev/full");
        Run run = run("--html", full.toString(), KeelCheckTest.sample("cas-register-not-linearizable.edn"));
        assertEquals(1, run.code, run.out + run.err);
        assertEquals("not linearizable", run.lastLine());
        assertTrue(run.err.startsWith("keel-check: cannot write the report to /dev/full: "), run.err);
        assertEquals(1, run.err.strip().lines().count(), run.err);

        Run linearizable = run("--html", full.toString(), "--init", "0",
                KeelCheckTest.sample("cas-register-linearizable.edn"));
        assertEquals(0, linearizable.code, linearizable.out + linearizable.err);
        assertTrue(Files.exists(full));
    }

    Path file(String name, String text) throws IOException {
        Path path = temp.resolve(name);
        Files.writeString(path, text);
        return path;
    }

    static Run run(String... args) {
        return runWithInput(new ByteArrayInputStream(new byte[0]), args);
    }

    static Run runWithInput(InputStream in, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KeelCheck.run(args, in, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    record Run(int code, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }
}
