package dev.keel.linearizability.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keel-check end to end on the sample histories: exit codes, last lines, and clear errors for bad input. */
class KeelCheckTest {
    @TempDir
    Path temp;

    @Test
    void aLinearizableHistoryExitsZero() {
        Run run = run("--init", "0", sample("cas-register-linearizable.edn"));
        assertEquals(0, run.code, run.out);
        assertEquals("linearizable", run.lastLine());
    }

    @Test
    void aNonLinearizableHistoryExitsOneAndExplainsWhy() throws IOException {
        Path report = temp.resolve("report.html");
        Run run = run("--html", report.toString(), sample("cas-register-not-linearizable.edn"));
        assertEquals(1, run.code, run.out);
        assertEquals("not linearizable", run.lastLine());
        assertTrue(run.out.contains("failing window"), run.out);
        assertTrue(run.out.contains("* p2 :read nil → ok 2"), run.out);
        assertTrue(Files.readString(report).contains("Not linearizable"));
    }

    @Test
    void independentHistoriesAreCheckedKeyByKey() {
        Run run = run("--independent", "--init", "0", sample("independent-cas-register.edn"));
        assertEquals(1, run.code, run.out);
        assertTrue(run.out.contains("key: 2"), run.out);
        assertEquals("not linearizable", run.lastLine());
    }

    @Test
    void theKvSampleIsLinearizable() {
        Run run = run("--model", "kv", sample("kv-linearizable.edn"));
        assertEquals(0, run.code, run.out + run.err);
        assertEquals("linearizable", run.lastLine());
    }

    @Test
    void aTinyTimeoutAnswersUnknownWithExitTwo() {
        Run run = run("--timeout", "0.000001", "--init", "0", sample("cas-register-linearizable.edn"));
        assertEquals(2, run.code, run.out);
        assertEquals("unknown", run.lastLine());
        assertTrue(run.out.contains("stopped: time budget exhausted"), run.out);
    }

    @Test
    void badUsageAndUnreadableInputExit64WithAMessage() throws IOException {
        Path broken = temp.resolve("broken.edn");
        Files.writeString(broken, "[{:process 0 :type :invoke :f :read}\n {:process 0, :type :ok :f :read :value \"x]");
        Path notHistory = temp.resolve("numbers.edn");
        Files.writeString(notHistory, "[1 2 3]");
        List<List<String>> cases = List.of(
                List.of("--model", "queue", sample("kv-linearizable.edn")),
                List.of(temp.resolve("missing.edn").toString()),
                List.of("--init", "{:x", sample("kv-linearizable.edn")),
                List.of("--timeout", "-1", sample("kv-linearizable.edn")),
                List.of("--timeout", "soon", sample("kv-linearizable.edn")),
                List.of(broken.toString()),
                List.of(notHistory.toString()),
                List.of(sample("kv-linearizable.edn")),
                List.of("--no-such-option", sample("kv-linearizable.edn")),
                List.of());
        List<String> expected = List.of("unknown model 'queue'", "no such file", "--init {:x is not an EDN value",
                "--timeout must be", "Invalid value for option '--timeout'", "line 2, column 41: unterminated string",
                "line 1, column 2: expected an operation map", "cas-register knows :read, :write and :cas, not :put",
                "Unknown option: '--no-such-option'", "Missing required parameter");
        for (int i = 0; i < cases.size(); i++) {
            Run run = run(cases.get(i).toArray(new String[0]));
            assertEquals(KeelCheck.EXIT_USAGE, run.code, cases.get(i) + ": " + run.err);
            assertTrue(run.err.contains(expected.get(i)), cases.get(i) + ": expected '" + expected.get(i)
                    + "' in " + run.err);
            assertTrue(!run.err.contains("\tat "), "no stack trace: " + run.err);
        }
    }

    @Test
    void helpExitsZero() {
        Run run = run("--help");
        assertEquals(0, run.code);
        assertTrue(run.out.contains("--independent"), run.out);
    }

    static String sample(String name) {
        try {
            return Path.of(KeelCheckTest.class.getResource("/histories/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KeelCheck.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }
}
