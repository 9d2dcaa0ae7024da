package dev.keel.harness.workload.set;

import dev.keel.harness.client.Recorder;
import dev.keel.harness.run.RunClock;
import dev.keel.harness.workload.WorkloadResult.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SetCheckerTest {
    /** Client 0 adds 0 (ok), 2 (ok), 4 (info); client 1 adds 1 (ok), 3 (fail); then the final read returns {@code read}. */
    static Recorder history(Set<Object> read) {
        Recorder recorder = new Recorder(new RunClock(), 3);
        Recorder.Process c0 = recorder.process(0);
        Recorder.Process c1 = recorder.process(1);
        recorder.ok(recorder.invoke(c0, "add", 0L), 0L);
        recorder.ok(recorder.invoke(c1, "add", 1L), 1L);
        recorder.ok(recorder.invoke(c0, "add", 2L), 2L);
        recorder.fail(recorder.invoke(c1, "add", 3L), 3L, "INVALID_ARGUMENT: too big");
        recorder.info(recorder.invoke(c0, "add", 4L), 4L, "DEADLINE_EXCEEDED");
        Recorder.Process reader = recorder.process(2);
        recorder.fail(recorder.invoke(reader, "read", null), null, "UNAVAILABLE");
        recorder.ok(recorder.invoke(reader, "read", null), new TreeSet<>(read));
        return recorder;
    }

    @Test
    void allAcknowledgedAddsPresentPasses() {
        SetVerdict verdict = SetChecker.check(history(Set.of(0L, 1L, 2L, 4L)).edn());
        assertEquals(Outcome.PASS, verdict.outcome(), verdict.headline());
        assertTrue(verdict.headline().matches("all 3 acknowledged adds present in the final read \\(\\+\\d+\\.\\ds\\)"
                + " \\(1 of 1 indeterminate adds also landed\\)"), verdict.headline());
        assertEquals(5, verdict.attempted());
        assertEquals(1, verdict.recovered());
    }

    @Test
    void anIndeterminateAddMayBeMissing() {
        SetVerdict verdict = SetChecker.check(history(Set.of(0L, 1L, 2L)).edn());
        assertEquals(Outcome.PASS, verdict.outcome(), verdict.headline());
        assertTrue(verdict.headline().endsWith("(0 of 1 indeterminate adds also landed)"), verdict.headline());
    }

    @Test
    void aLostAddFailsNamingIt() {
        SetVerdict verdict = SetChecker.check(history(Set.of(0L, 2L)).edn());
        assertEquals(Outcome.FAIL, verdict.outcome());
        assertTrue(verdict.headline().matches("add of 1 was acknowledged at \\+\\d+\\.\\ds but is missing from the"
                + " final read \\(\\+\\d+\\.\\ds\\)"), verdict.headline());
        assertEquals(new TreeSet<>(List.of(1L)), verdict.lost());
        assertTrue(verdict.edn().contains(":lost #{1}"), verdict.edn());
    }

    @Test
    void severalLostAddsAreCounted() {
        SetVerdict verdict = SetChecker.check(history(Set.of(4L)).edn());
        assertEquals(Outcome.FAIL, verdict.outcome());
        assertTrue(verdict.headline().startsWith("add of 0 was acknowledged")
                && verdict.headline().endsWith("; 3 of 3 acknowledged adds are lost"), verdict.headline());
    }

    @Test
    void anElementNeverAddedIsUnexpected() {
        SetVerdict verdict = SetChecker.check(history(Set.of(0L, 1L, 2L, 99L)).edn());
        assertEquals(Outcome.FAIL, verdict.outcome());
        assertTrue(verdict.headline().matches("the final read \\(\\+\\d+\\.\\ds\\) holds 99, which no client ever"
                + " added"), verdict.headline());
    }

    @Test
    void aRefusedAddThatIsPresentFails() {
        SetVerdict verdict = SetChecker.check(history(Set.of(0L, 1L, 2L, 3L)).edn());
        assertEquals(Outcome.FAIL, verdict.outcome());
        assertTrue(verdict.headline().matches("add of 3 failed at \\+\\d+\\.\\ds \\(INVALID_ARGUMENT: too big\\) yet"
                + " is present in the final read \\(\\+\\d+\\.\\ds\\)"), verdict.headline());
    }

    @Test
    void withoutASuccessfulFinalReadTheVerdictIsUnknown() {
        Recorder recorder = new Recorder(new RunClock(), 2);
        recorder.ok(recorder.invoke(recorder.process(0), "add", 0L), 0L);
        recorder.fail(recorder.invoke(recorder.process(1), "read", null), null, "UNAVAILABLE");
        SetVerdict verdict = SetChecker.check(recorder.edn());
        assertEquals(Outcome.UNKNOWN, verdict.outcome());
        assertEquals("no final read succeeded, so the 1 acknowledged adds could not be checked", verdict.headline());
    }

    @Test
    void theFinalReadIsWrittenAsAnEdnSet() {
        String edn = history(Set.of(2L, 0L, 1L)).edn();
        assertTrue(edn.contains(":value #{0 1 2}"), edn);
    }
}
