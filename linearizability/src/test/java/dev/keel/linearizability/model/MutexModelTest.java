package dev.keel.linearizability.model;

import static dev.keel.linearizability.search.Verdict.LINEARIZABLE;
import static dev.keel.linearizability.search.Verdict.NOT_LINEARIZABLE;
import static dev.keel.linearizability.testing.Verdicts.assertVerdict;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Hand-written mutex histories with known verdicts. */
class MutexModelTest {
    private static final Model<?> MUTEX = Models.byName("mutex", null);

    @Test
    void acquireThenReleaseByTurns() {
        assertVerdict(LINEARIZABLE, MUTEX, """
                [{:process 0 :type :invoke :f :acquire}
                 {:process 0 :type :ok :f :acquire}
                 {:process 1 :type :invoke :f :acquire}
                 {:process 0 :type :invoke :f :release}
                 {:process 0 :type :ok :f :release}
                 {:process 1 :type :ok :f :acquire}]""");
    }

    @Test
    void twoHoldersAtOnceAreNotLinearizable() {
        assertVerdict(NOT_LINEARIZABLE, MUTEX, """
                [{:process 0 :type :invoke :f :acquire}
                 {:process 0 :type :ok :f :acquire}
                 {:process 1 :type :invoke :f :acquire}
                 {:process 1 :type :ok :f :acquire}]""");
    }

    @Test
    void anIndeterminateReleaseMayHaveFreedTheLock() {
        assertVerdict(LINEARIZABLE, MUTEX, """
                [{:process 0 :type :invoke :f :acquire}
                 {:process 0 :type :ok :f :acquire}
                 {:process 0 :type :invoke :f :release}
                 {:process 0 :type :info :f :release}
                 {:process 1 :type :invoke :f :acquire}
                 {:process 1 :type :ok :f :acquire}]""");
    }

    @Test
    void aFailedReleaseDidNotFreeTheLock() {
        assertVerdict(NOT_LINEARIZABLE, MUTEX, """
                [{:process 0 :type :invoke :f :acquire}
                 {:process 0 :type :ok :f :acquire}
                 {:process 0 :type :invoke :f :release}
                 {:process 0 :type :fail :f :release}
                 {:process 1 :type :invoke :f :acquire}
                 {:process 1 :type :ok :f :acquire}]""");
    }

    @Test
    void releasingAFreeLockIsNotLinearizable() {
        assertVerdict(NOT_LINEARIZABLE, MUTEX, """
                [{:process 0 :type :invoke :f :release}
                 {:process 0 :type :ok :f :release}]""");
    }

    @Test
    void aMutexMayStartHeld() {
        assertVerdict(LINEARIZABLE, Models.byName("mutex", true), """
                [{:process 0 :type :invoke :f :release}
                 {:process 0 :type :ok :f :release}]""");
        assertThrows(IllegalArgumentException.class, () -> Models.byName("mutex", 3L));
    }
}
