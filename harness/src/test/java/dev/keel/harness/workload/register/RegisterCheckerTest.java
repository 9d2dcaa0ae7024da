package dev.keel.harness.workload.register;

import dev.keel.harness.client.Recorder;
import dev.keel.harness.run.RunClock;
import dev.keel.harness.workload.WorkloadResult.Outcome;
import dev.keel.linearizability.cli.KeelCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegisterCheckerTest {
    private static final Duration BUDGET = Duration.ofSeconds(10);

    /** p0 writes 1 then 2 on key 0; p1 then reads key 0 and gets 1: a stale read. */
    static Recorder staleRead() {
        Recorder recorder = new Recorder(new RunClock(), 2);
        Recorder.Process p0 = recorder.process(0);
        Recorder.Process p1 = recorder.process(1);
        recorder.ok(recorder.invoke(p0, "write", List.of(0L, 1L)), List.of(0L, 1L));
        recorder.ok(recorder.invoke(p0, "write", List.of(0L, 2L)), List.of(0L, 2L));
        recorder.ok(recorder.invoke(p1, "read", Arrays.asList(0L, null)), List.of(0L, 1L));
        return recorder;
    }

    /** Two keys, concurrent operations, a refused cas, an indeterminate write that a later read shows landed. */
    static Recorder valid() {
        Recorder recorder = new Recorder(new RunClock(), 3);
        Recorder.Process p0 = recorder.process(0);
        Recorder.Process p1 = recorder.process(1);
        Recorder.Process p2 = recorder.process(2);
        recorder.ok(recorder.invoke(p0, "read", Arrays.asList(1L, null)), Arrays.asList(1L, null));
        Recorder.Op write = recorder.invoke(p0, "write", List.of(0L, 3L));
        Recorder.Op read = recorder.invoke(p1, "read", Arrays.asList(0L, null));
        recorder.ok(write, List.of(0L, 3L));
        recorder.ok(read, List.of(0L, 3L)); // concurrent with the write, sees it
        recorder.fail(recorder.invoke(p2, "cas", List.of(0L, List.of(4L, 1L))), List.of(0L, List.of(4L, 1L)), null);
        recorder.ok(recorder.invoke(p2, "cas", List.of(0L, List.of(3L, 4L))), List.of(0L, List.of(3L, 4L)));
        recorder.info(recorder.invoke(p0, "write", List.of(1L, 2L)), List.of(1L, 2L), "DEADLINE_EXCEEDED");
        recorder.ok(recorder.invoke(p1, "read", Arrays.asList(1L, null)), List.of(1L, 2L));
        recorder.ok(recorder.invoke(p1, "read", Arrays.asList(0L, null)), List.of(0L, 4L));
        return recorder;
    }

    @Test
    void aValidHistoryPassesWithItsCounts() {
        RegisterVerdict verdict = RegisterChecker.check(valid().edn(), BUDGET);
        assertEquals(Outcome.PASS, verdict.outcome(), verdict.headline());
        assertEquals("4 reads, 1 writes and 1 successful cas (1 refused, 1 indeterminate operations) on 2 keys"
                + " are linearizable as independent cas-registers", verdict.headline());
        assertTrue(verdict.htmlReport().isEmpty());
    }

    @Test
    void aStaleReadFailsNamingTheKeyAndTheRead() {
        RegisterVerdict verdict = RegisterChecker.check(staleRead().edn(), BUDGET);
        assertEquals(Outcome.FAIL, verdict.outcome());
        assertTrue(verdict.headline().matches("read of key 0 returned 1 at \\+\\d+\\.\\ds \\(invoked \\+\\d+\\.\\ds,"
                + " process 1\\), but no linearization allows it: the key could only hold 2 there"
                + " \\(see register.html\\)"), verdict.headline());
        String html = verdict.htmlReport().orElseThrow();
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("key <b>0</b>"), html);
    }

    @Test
    void anExhaustedBudgetIsUnknown() {
        RegisterVerdict verdict = RegisterChecker.check(valid().edn(), Duration.ZERO);
        assertEquals(Outcome.UNKNOWN, verdict.outcome(), verdict.headline());
        assertTrue(verdict.headline().startsWith("the checker could not decide within 0 s (time budget exhausted"),
                verdict.headline());
        assertTrue(verdict.htmlReport().isEmpty());
    }

    @Test
    void keelCheckOnTheRecordedFileAgrees(@TempDir Path dir) throws Exception {
        Path stale = dir.resolve("stale.edn");
        Files.writeString(stale, staleRead().edn());
        Path fine = dir.resolve("valid.edn");
        Files.writeString(fine, valid().edn());
        assertEquals(1, keelCheck(stale), "keel-check exit code for the stale read");
        assertEquals(0, keelCheck(fine), "keel-check exit code for the valid history");
    }

    /** @return the exit code of {@code keel-check --model cas-register --independent file}, run in-process */
    static int keelCheck(Path file) {
        StringWriter out = new StringWriter();
        return KeelCheck.run(new String[] {"--model", "cas-register", "--independent", "--timeout", "30",
            file.toString()}, new PrintWriter(out), new PrintWriter(new StringWriter()));
    }
}
