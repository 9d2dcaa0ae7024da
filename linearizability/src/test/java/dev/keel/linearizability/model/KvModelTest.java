package dev.keel.linearizability.model;

import static dev.keel.linearizability.search.Verdict.LINEARIZABLE;
import static dev.keel.linearizability.search.Verdict.NOT_LINEARIZABLE;
import static dev.keel.linearizability.testing.Verdicts.assertVerdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.linearizability.history.InvalidHistoryException;
import dev.keel.linearizability.history.JepsenEdn;
import dev.keel.linearizability.search.Budget;
import dev.keel.linearizability.search.CheckResult;
import dev.keel.linearizability.search.Checker;
import org.junit.jupiter.api.Test;

/** Hand-written histories for the etcd-style kv model, in the encoding docs/linearizability.md documents. */
class KvModelTest {
    private static final Model<?> KV = Models.kv(null);

    @Test
    void keysStartAbsentAndGetSeesPuts() {
        assertVerdict(LINEARIZABLE, KV, """
                [{:process 0 :type :invoke :f :get :value ["a" nil]}
                 {:process 0 :type :ok :f :get :value ["a" nil]}
                 {:process 0 :type :invoke :f :put :value ["a" 1]}
                 {:process 0 :type :ok :f :put :value ["a" 1]}
                 {:process 1 :type :invoke :f :get :value ["a" nil]}
                 {:process 1 :type :ok :f :get :value ["a" 1]}]""");
        assertVerdict(NOT_LINEARIZABLE, KV, """
                [{:process 0 :type :invoke :f :put :value ["a" 1]}
                 {:process 0 :type :ok :f :put :value ["a" 1]}
                 {:process 1 :type :invoke :f :get :value ["a" nil]}
                 {:process 1 :type :ok :f :get :value ["a" nil]}]""");
    }

    @Test
    void keysAreIndependent() {
        assertVerdict(LINEARIZABLE, KV, """
                [{:process 0 :type :invoke :f :put :value ["a" 1]}
                 {:process 0 :type :ok :f :put :value ["a" 1]}
                 {:process 1 :type :invoke :f :get :value ["b" nil]}
                 {:process 1 :type :ok :f :get :value ["b" nil]}]""");
    }

    @Test
    void deleteRemovesTheKeyAndReportsWhetherItExisted() {
        assertVerdict(LINEARIZABLE, KV, """
                [{:process 0 :type :invoke :f :delete :value ["a" nil]}
                 {:process 0 :type :ok :f :delete :value ["a" 0]}
                 {:process 0 :type :invoke :f :put :value ["a" 1]}
                 {:process 0 :type :ok :f :put :value ["a" 1]}
                 {:process 0 :type :invoke :f :delete :value ["a" nil]}
                 {:process 0 :type :ok :f :delete :value ["a" 1]}
                 {:process 1 :type :invoke :f :get :value ["a" nil]}
                 {:process 1 :type :ok :f :get :value ["a" nil]}]""");
        assertVerdict(NOT_LINEARIZABLE, KV, """
                [{:process 0 :type :invoke :f :delete :value ["a" nil]}
                 {:process 0 :type :ok :f :delete :value ["a" 1]}]""");
    }

    @Test
    void casSucceedsOnlyOnTheExpectedValueAndNilMeansAbsent() {
        assertVerdict(LINEARIZABLE, KV, """
                [{:process 0 :type :invoke :f :cas :value ["a" [nil 1]]}
                 {:process 0 :type :ok :f :cas :value ["a" [nil 1]]}
                 {:process 0 :type :invoke :f :cas :value ["a" [1 2]]}
                 {:process 0 :type :ok :f :cas :value ["a" [1 2]]}
                 {:process 0 :type :invoke :f :cas :value ["a" [1 3]]}
                 {:process 0 :type :fail :f :cas :value ["a" [1 3]]}
                 {:process 1 :type :invoke :f :get :value ["a" nil]}
                 {:process 1 :type :ok :f :get :value ["a" 2]}]""");
        assertVerdict(NOT_LINEARIZABLE, KV, """
                [{:process 0 :type :invoke :f :cas :value ["a" [1 2]]}
                 {:process 0 :type :ok :f :cas :value ["a" [1 2]]}]""");
    }

    @Test
    void versionsCountPutsAndResetOnDelete() {
        assertVerdict(LINEARIZABLE, KV, """
                [{:process 0 :type :invoke :f :put :value ["a" 1]}
                 {:process 0 :type :ok :f :put :value ["a" 1]}
                 {:process 0 :type :invoke :f :put :value ["a" 1]}
                 {:process 0 :type :ok :f :put :value ["a" 1]}
                 {:process 0 :type :invoke :f :get :value ["a" nil]}
                 {:process 0 :type :ok :f :get :value ["a" {:value 1 :version 2}]}
                 {:process 0 :type :invoke :f :delete :value ["a" nil]}
                 {:process 0 :type :ok :f :delete :value ["a" 1]}
                 {:process 0 :type :invoke :f :get :value ["a" nil]}
                 {:process 0 :type :ok :f :get :value ["a" {:version 0}]}]""");
        assertVerdict(NOT_LINEARIZABLE, KV, """
                [{:process 0 :type :invoke :f :put :value ["a" 1]}
                 {:process 0 :type :ok :f :put :value ["a" 1]}
                 {:process 0 :type :invoke :f :get :value ["a" nil]}
                 {:process 0 :type :ok :f :get :value ["a" {:value 1 :version 2}]}]""");
    }

    @Test
    void anIndeterminatePutExplainsAVersionBumpOrNot() {
        String history = """
                [{:process 0 :type :invoke :f :put :value ["a" 1]}
                 {:process 0 :type :ok :f :put :value ["a" 1]}
                 {:process 1 :type :invoke :f :put :value ["a" 1]}
                 {:process 1 :type :info :f :put :value ["a" 1]}
                 {:process 0 :type :invoke :f :get :value ["a" nil]}
                 {:process 0 :type :ok :f :get :value ["a" {:value 1 :version %d}]}]""";
        assertVerdict(LINEARIZABLE, KV, history.formatted(1));
        assertVerdict(LINEARIZABLE, KV, history.formatted(2));
        assertVerdict(NOT_LINEARIZABLE, KV, history.formatted(3));
    }

    @Test
    void txnTakesTheBranchItsVersionCompareSelects() {
        String history = """
                [{:process 0 :type :invoke :f :put :value ["a" 1]}
                 {:process 0 :type :ok :f :put :value ["a" 1]}
                 {:process 1 :type :invoke :f :txn :value ["a" {:compare [:version := %d] :then [[:put 9]]
                                                                :else [[:get]]}]}
                 {:process 1 :type :ok :f :txn :value ["a" {:compare [:version := %d] :then [[:put 9]]
                                                            :else [[:get %s]] :succeeded %s}]}
                 {:process 2 :type :invoke :f :get :value ["a" nil]}
                 {:process 2 :type :ok :f :get :value ["a" %s]}]""";
        assertVerdict(LINEARIZABLE, KV, history.formatted(1, 1, "nil", "true", "9"));
        assertVerdict(LINEARIZABLE, KV, history.formatted(0, 0, "1", "false", "1"));
        assertVerdict(NOT_LINEARIZABLE, KV, history.formatted(0, 0, "1", "true", "9"));
        assertVerdict(NOT_LINEARIZABLE, KV, history.formatted(0, 0, "2", "false", "1"));
    }

    @Test
    void txnValueComparesAreFalseOnAbsentKeys() {
        String history = """
                [{:process 1 :type :invoke :f :txn :value ["a" {:compare [:value :not= 5] :then [[:put 1]]}]}
                 {:process 1 :type :ok :f :txn :value ["a" {:compare [:value :not= 5] :then [[:put 1]]
                                                            :succeeded %s}]}]""";
        assertVerdict(LINEARIZABLE, KV, history.formatted("false"));
        assertVerdict(NOT_LINEARIZABLE, KV, history.formatted("true"));
    }

    @Test
    void theFailureNamesTheKey() {
        CheckResult result = assertVerdict(NOT_LINEARIZABLE, KV, """
                [{:process 0 :type :invoke :f :put :value ["a" 1]}
                 {:process 0 :type :ok :f :put :value ["a" 1]}
                 {:process 1 :type :invoke :f :get :value ["b" nil]}
                 {:process 1 :type :ok :f :get :value ["b" 1]}]""");
        assertEquals("b", result.counterexample().orElseThrow().key());
    }

    @Test
    void malformedOperationsAreRejectedWithTheOperationNamed() {
        for (String bad : new String[] {
            "{:process 0 :type :invoke :f :put :value 1}",
            "{:process 0 :type :invoke :f :put :value [\"a\" nil]}",
            "{:process 0 :type :invoke :f :cas :value [\"a\" 1]}",
            "{:process 0 :type :invoke :f :txn :value [\"a\" {:compare [:size := 1]}]}",
            "{:process 0 :type :invoke :f :scan :value [\"a\" nil]}"}) {
            InvalidHistoryException e = assertThrows(InvalidHistoryException.class,
                    () -> Checker.check(JepsenEdn.read(bad), KV, Budget.unlimitedTime()), bad);
            assertTrue(e.getMessage().startsWith("operation p0 :"), e.getMessage());
        }
    }
}
