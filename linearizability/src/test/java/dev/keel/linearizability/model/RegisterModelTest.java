package dev.keel.linearizability.model;

import static dev.keel.linearizability.search.Verdict.LINEARIZABLE;
import static dev.keel.linearizability.search.Verdict.NOT_LINEARIZABLE;
import static dev.keel.linearizability.testing.Verdicts.assertVerdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keel.linearizability.history.InvalidHistoryException;
import dev.keel.linearizability.history.JepsenEdn;
import dev.keel.linearizability.search.Budget;
import dev.keel.linearizability.search.Checker;
import org.junit.jupiter.api.Test;

/** Hand-written register and cas-register histories with known verdicts (Knossos semantics). */
class RegisterModelTest {
    private static final Model<?> CAS_0 = Models.byName("cas-register", 0L);
    private static final Model<?> REGISTER = Models.byName("register", null);

    @Test
    void readsOfTheInitialValueAreLinearizable() {
        assertVerdict(LINEARIZABLE, CAS_0, """
                [{:process 0 :type :invoke :f :read :value nil}
                 {:process 0 :type :ok :f :read :value 0}]""");
    }

    @Test
    void aReadOfAValueOtherThanTheInitialOneIsNot() {
        assertVerdict(NOT_LINEARIZABLE, CAS_0, """
                [{:process 0 :type :invoke :f :read :value nil}
                 {:process 0 :type :ok :f :read :value 1}]""");
    }

    @Test
    void aReadOfNilMatchesAnyStateAsInKnossos() {
        assertVerdict(LINEARIZABLE, CAS_0, """
                [{:process 0 :type :invoke :f :read :value nil}
                 {:process 0 :type :ok :f :read :value nil}]""");
    }

    @Test
    void concurrentWritesMayBeSeenInEitherOrder() {
        String history = """
                [{:process 0 :type :invoke :f :write :value 1}
                 {:process 1 :type :invoke :f :write :value 2}
                 {:process 0 :type :ok :f :write :value 1}
                 {:process 1 :type :ok :f :write :value 2}
                 {:process 2 :type :invoke :f :read :value nil}
                 {:process 2 :type :ok :f :read :value %s}]""";
        assertVerdict(LINEARIZABLE, REGISTER, history.formatted("1"));
        assertVerdict(LINEARIZABLE, REGISTER, history.formatted("2"));
    }

    @Test
    void aReadAfterTwoSequentialWritesMustSeeTheSecond() {
        assertVerdict(NOT_LINEARIZABLE, REGISTER, """
                [{:process 0 :type :invoke :f :write :value 1}
                 {:process 0 :type :ok :f :write :value 1}
                 {:process 0 :type :invoke :f :write :value 2}
                 {:process 0 :type :ok :f :write :value 2}
                 {:process 1 :type :invoke :f :read :value nil}
                 {:process 1 :type :ok :f :read :value 1}]""");
    }

    @Test
    void aFailedCasDidNotHappen() {
        assertVerdict(LINEARIZABLE, CAS_0, """
                [{:process 0 :type :invoke :f :cas :value [0 5]}
                 {:process 0 :type :fail :f :cas :value [0 5]}
                 {:process 1 :type :invoke :f :read :value nil}
                 {:process 1 :type :ok :f :read :value 0}]""");
        assertVerdict(NOT_LINEARIZABLE, CAS_0, """
                [{:process 0 :type :invoke :f :cas :value [0 5]}
                 {:process 0 :type :fail :f :cas :value [0 5]}
                 {:process 1 :type :invoke :f :read :value nil}
                 {:process 1 :type :ok :f :read :value 5}]""");
    }

    @Test
    void anOkCasNeedsTheExpectedValue() {
        assertVerdict(NOT_LINEARIZABLE, CAS_0, """
                [{:process 0 :type :invoke :f :cas :value [1 2]}
                 {:process 0 :type :ok :f :cas :value [1 2]}]""");
        assertVerdict(LINEARIZABLE, CAS_0, """
                [{:process 0 :type :invoke :f :cas :value [0 2]}
                 {:process 0 :type :ok :f :cas :value [0 2]}
                 {:process 0 :type :invoke :f :cas :value [2 3]}
                 {:process 0 :type :ok :f :cas :value [2 3]}
                 {:process 1 :type :invoke :f :read :value nil}
                 {:process 1 :type :ok :f :read :value 3}]""");
    }

    @Test
    void anIndeterminateWriteMayTakeEffectLongAfterItTimedOut() {
        assertVerdict(LINEARIZABLE, CAS_0, """
                [{:process 0 :type :invoke :f :write :value 7}
                 {:process 0 :type :info :f :write :value 7}
                 {:process 1 :type :invoke :f :read :value nil}
                 {:process 1 :type :ok :f :read :value 0}
                 {:process 1 :type :invoke :f :read :value nil}
                 {:process 1 :type :ok :f :read :value 7}]""");
    }

    @Test
    void anIndeterminateWriteMayNeverTakeEffect() {
        assertVerdict(LINEARIZABLE, CAS_0, """
                [{:process 0 :type :invoke :f :write :value 7}
                 {:process 0 :type :info :f :write :value 7}
                 {:process 1 :type :invoke :f :read :value nil}
                 {:process 1 :type :ok :f :read :value 0}]""");
    }

    @Test
    void anInvocationWithoutCompletionIsIndeterminate() {
        assertVerdict(LINEARIZABLE, CAS_0, """
                [{:process 0 :type :invoke :f :write :value 7}
                 {:process 1 :type :invoke :f :read :value nil}
                 {:process 1 :type :ok :f :read :value 7}]""");
    }

    @Test
    void anIndeterminateWriteCannotTakeEffectBeforeItWasInvoked() {
        assertVerdict(NOT_LINEARIZABLE, CAS_0, """
                [{:process 1 :type :invoke :f :read :value nil}
                 {:process 1 :type :ok :f :read :value 7}
                 {:process 0 :type :invoke :f :write :value 7}
                 {:process 0 :type :info :f :write :value 7}]""");
    }

    @Test
    void anIndeterminateWriteTakesEffectAtMostOnce() {
        assertVerdict(NOT_LINEARIZABLE, CAS_0, """
                [{:process 0 :type :invoke :f :write :value 7}
                 {:process 0 :type :info :f :write :value 7}
                 {:process 1 :type :invoke :f :read :value nil}
                 {:process 1 :type :ok :f :read :value 7}
                 {:process 1 :type :invoke :f :write :value 1}
                 {:process 1 :type :ok :f :write :value 1}
                 {:process 1 :type :invoke :f :read :value nil}
                 {:process 1 :type :ok :f :read :value 7}]""");
    }

    @Test
    void anIndeterminateCasMustFindItsExpectedValueIfItHappens() {
        assertVerdict(NOT_LINEARIZABLE, CAS_0, """
                [{:process 0 :type :invoke :f :cas :value [3 4]}
                 {:process 0 :type :info :f :cas :value [3 4]}
                 {:process 1 :type :invoke :f :read :value nil}
                 {:process 1 :type :ok :f :read :value 4}]""");
    }

    @Test
    void aRegisterHasNoCas() {
        InvalidHistoryException e = assertThrows(InvalidHistoryException.class, () -> Checker.check(JepsenEdn.read(
                "[{:process 0 :type :invoke :f :cas :value [0 1]} {:process 0 :type :ok :f :cas :value [0 1]}]"),
                REGISTER, Budget.unlimitedTime()));
        assertEquals(true, e.getMessage().contains("use the cas-register model"), e.getMessage());
    }

    @Test
    void aCasNeedsTwoValues() {
        InvalidHistoryException e = assertThrows(InvalidHistoryException.class, () -> Checker.check(JepsenEdn.read(
                "[{:process 0 :type :invoke :f :cas :value 3} {:process 0 :type :ok :f :cas :value 3}]"),
                CAS_0, Budget.unlimitedTime()));
        assertEquals(true, e.getMessage().contains(":cas needs the value [expected new], got 3"), e.getMessage());
    }
}
