package dev.keel.linearizability.model;

import static dev.keel.linearizability.search.Verdict.LINEARIZABLE;
import static dev.keel.linearizability.search.Verdict.NOT_LINEARIZABLE;
import static dev.keel.linearizability.testing.Verdicts.assertVerdict;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keel.linearizability.edn.EdnReader;
import dev.keel.linearizability.history.InvalidHistoryException;
import dev.keel.linearizability.history.JepsenEdn;
import dev.keel.linearizability.search.Budget;
import dev.keel.linearizability.search.Checker;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-written multi-register histories, starting from Knossos' (multi-register {:x 0 :y 0}). */
class MultiRegisterModelTest {
    private static final Model<?> XY = Models.byName("multi-register", EdnReader.readOne("{:x 0 :y 0}"));

    @Test
    void readsOfTheInitialValues() {
        assertVerdict(LINEARIZABLE, XY, """
                [{:process 0 :type :invoke :f :txn :value [[:read :x nil] [:read :y nil]]}
                 {:process 0 :type :ok :f :txn :value [[:read :x 0] [:read :y 0]]}]""");
    }

    @Test
    void aTransactionIsAtomic() {
        String history = """
                [{:process 0 :type :invoke :f :txn :value [[:write :x 1] [:write :y 1]]}
                 {:process 1 :type :invoke :f :txn :value [[:read :x nil] [:read :y nil]]}
                 {:process 0 :type :ok :f :txn :value [[:write :x 1] [:write :y 1]]}
                 {:process 1 :type :ok :f :txn :value [[:read :x %s] [:read :y %s]]}]""";
        assertVerdict(LINEARIZABLE, XY, history.formatted(0, 0));
        assertVerdict(LINEARIZABLE, XY, history.formatted(1, 1));
        assertVerdict(NOT_LINEARIZABLE, XY, history.formatted(1, 0));
    }

    @Test
    void readsInsideATransactionSeeItsOwnWrites() {
        assertVerdict(LINEARIZABLE, XY, """
                [{:process 0 :type :invoke :f :txn :value [[:write :x 5] [:read :x nil]]}
                 {:process 0 :type :ok :f :txn :value [[:write :x 5] [:read :x 5]]}]""");
    }

    @Test
    void anIndeterminateTransactionMayHaveHappened() {
        String history = """
                [{:process 0 :type :invoke :f :txn :value [[:write :x 1] [:write :y 2]]}
                 {:process 0 :type :info :f :txn :value [[:write :x 1] [:write :y 2]]}
                 {:process 1 :type :invoke :f :txn :value [[:r :x nil] [:r :y nil]]}
                 {:process 1 :type :ok :f :txn :value [[:r :x %s] [:r :y %s]]}]""";
        assertVerdict(LINEARIZABLE, XY, history.formatted(1, 2));
        assertVerdict(LINEARIZABLE, XY, history.formatted(0, 0));
        assertVerdict(NOT_LINEARIZABLE, XY, history.formatted(1, 0));
    }

    @Test
    void unknownKeysReadAsNil() {
        assertVerdict(LINEARIZABLE, new MultiRegisterModel(Map.of()), """
                [{:process 0 :type :invoke :f :txn :value [[:read :z nil]]}
                 {:process 0 :type :ok :f :txn :value [[:read :z nil]]}]""");
    }

    @Test
    void malformedTransactionsAreRejectedClearly() {
        assertThrows(InvalidHistoryException.class, () -> Checker.check(JepsenEdn.read(
                "[{:process 0 :type :invoke :f :txn :value [[:inc :x 1]]}]"), XY, Budget.unlimitedTime()));
        assertThrows(IllegalArgumentException.class, () -> Models.byName("multi-register", 0L));
    }
}
