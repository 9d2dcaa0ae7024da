package dev.keel.linearizability.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.JepsenEdn;
import dev.keel.linearizability.model.Model;
import dev.keel.linearizability.model.Models;
import dev.keel.linearizability.search.Budget;
import dev.keel.linearizability.search.Checker;
import dev.keel.linearizability.search.Counterexample;
import org.junit.jupiter.api.Test;

/** The report's headline sentence for each model, over small hand-made histories. */
class HeadlineTest {
    @Test
    void aStaleRegisterReadNamesHowManyWritesOverwroteTheValue() {
        assertEquals("read by process 2 returned 1, a value overwritten by 2 operations that completed before it"
                + " began (the last, write 3 by process 1, completed at 5).", headline("register", null, """
                [{:process 0 :type :invoke :f :write :value 1} {:process 0 :type :ok :f :write :value 1}
                 {:process 1 :type :invoke :f :write :value 2} {:process 1 :type :ok :f :write :value 2}
                 {:process 1 :type :invoke :f :write :value 3} {:process 1 :type :ok :f :write :value 3}
                 {:process 2 :type :invoke :f :read :value nil} {:process 2 :type :ok :f :read :value 1}]"""));
    }

    @Test
    void aReadOfAValueNobodyWroteOrWroteOnlyLaterSaysSo() {
        assertEquals("get of key 1 by process 1 returned 9, a value no operation wrote.", headline("kv", null, """
                [{:process 0 :type :invoke :f :put :value [1 5]} {:process 1 :type :invoke :f :get :value [1 nil]}
                 {:process 0 :type :ok :f :put :value [1 5]} {:process 1 :type :ok :f :get :value [1 9]}]"""));
        assertEquals("read by process 1 returned 7, a value written only by write 7 by process 0, invoked at 2,"
                + " after the read completed at 1.", headline("register", null, """
                [{:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 7}
                 {:process 0 :type :invoke :f :write :value 7} {:process 0 :type :ok :f :write :value 7}]"""));
        assertEquals("read by process 1 returned 0, a value no operation wrote: unless it was the initial value,"
                + " overwritten by 1 operation that completed before it began (the last, write 1 by process 0,"
                + " completed at 1).", headline("register", 0L, """
                [{:process 0 :type :invoke :f :write :value 1} {:process 0 :type :ok :f :write :value 1}
                 {:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 0}]"""));
    }

    @Test
    void aCasThatSucceededOnAnOverwrittenValueAndTwoConcurrentCasesThatCannotBothSucceed() {
        assertEquals("cas 3->4 by process 7 succeeded, but it expected 3, a value overwritten by 1 operation that"
                + " completed before it began (the last, write 5 by process 1, completed at 3).",
                headline("cas-register", 0L, """
                [{:process 0 :type :invoke :f :write :value 3} {:process 0 :type :ok :f :write :value 3}
                 {:process 1 :type :invoke :f :write :value 5} {:process 1 :type :ok :f :write :value 5}
                 {:process 7 :type :invoke :f :cas :value [3 4]} {:process 7 :type :ok :f :cas :value [3 4]}]"""));
        String honest = headline("cas-register", 0L, """
                [{:process 0 :type :invoke :f :cas :value [0 1]} {:process 1 :type :invoke :f :cas :value [0 2]}
                 {:process 0 :type :ok :f :cas :value [0 1]} {:process 1 :type :ok :f :cas :value [0 2]}]""");
        // 0 is the initial value, which the history does not show: the sentence says what the checker knew.
        assertTrue(honest.matches("cas 0->[12] by process [01] succeeded although, after the 1 completed operation"
                + " the checker could order before it, the register could only hold [12]( or [12])?\\."), honest);
    }

    @Test
    void mutexAcquireWhileHeldAndReleaseWhileFree() {
        assertEquals("acquire by process 1 succeeded (completed at 3) although process 0 held the lock: it acquired"
                + " it at 1 and no release could have happened in between.", headline("mutex", null, """
                [{:process 0 :type :invoke :f :acquire} {:process 0 :type :ok :f :acquire}
                 {:process 1 :type :invoke :f :acquire} {:process 1 :type :ok :f :acquire}]"""));
        assertEquals("release by process 1 succeeded (completed at 5) although the lock was free: process 0"
                + " released it at 3 and no acquire could have happened in between.", headline("mutex", null, """
                [{:process 0 :type :invoke :f :acquire} {:process 0 :type :ok :f :acquire}
                 {:process 0 :type :invoke :f :release} {:process 0 :type :ok :f :release}
                 {:process 1 :type :invoke :f :release} {:process 1 :type :ok :f :release}]"""));
    }

    @Test
    void aMultiRegisterTransactionReadingAnOverwrittenRegister() {
        assertEquals("The read of :x in txn by process 2 returned 1, a value overwritten by 1 operation that"
                + " completed before it began (the last, txn [[:write :x 2]] by process 1, completed at 3).",
                headline("multi-register", null, """
                [{:process 0 :type :invoke :f :txn :value [[:write :x 1]]}
                 {:process 0 :type :ok :f :txn :value [[:write :x 1]]}
                 {:process 1 :type :invoke :f :txn :value [[:write :x 2]]}
                 {:process 1 :type :ok :f :txn :value [[:write :x 2]]}
                 {:process 2 :type :invoke :f :txn :value [[:read :x nil] [:read :y nil]]}
                 {:process 2 :type :ok :f :txn :value [[:read :x 1] [:read :y nil]]}]"""));
    }

    @Test
    void kvStaleReadsNameTheKeyAndCountOnlyWritesThatCertainlyCameAfter() {
        assertEquals("get of key \"k17\" by process 3 returned 14, a value overwritten by 3 operations that"
                + " completed before it began (the last, delete by process 2, completed at 9).", headline("kv", null, """
                [{:process 0 :type :invoke :f :put :value ["k17" 14]} {:process 0 :type :ok :f :put :value ["k17" 14]}
                 {:process 1 :type :invoke :f :put :value ["k17" 15]} {:process 1 :type :ok :f :put :value ["k17" 15]}
                 {:process 4 :type :invoke :f :put :value ["k17" 16]} {:process 4 :type :info :f :put :value ["k17" 16]}
                 {:process 1 :type :invoke :f :put :value ["k17" 16]} {:process 1 :type :ok :f :put :value ["k17" 16]}
                 {:process 2 :type :invoke :f :delete :value ["k17" nil]} {:process 2 :type :ok :f :delete :value ["k17" 1]}
                 {:process 3 :type :invoke :f :get :value ["k17" nil]} {:process 3 :type :ok :f :get :value ["k17" 14]}
                 {:process 5 :type :invoke :f :get :value ["other" nil]} {:process 5 :type :ok :f :get :value ["other" nil]}]"""));
        assertEquals("get of key 1 by process 1 returned nil (the key absent), a value overwritten by 1 operation"
                + " that completed before it began (the last, put 5 by process 0, completed at 1).",
                headline("kv", null, """
                [{:process 0 :type :invoke :f :put :value [1 5]} {:process 0 :type :ok :f :put :value [1 5]}
                 {:process 1 :type :invoke :f :get :value [1 nil]} {:process 1 :type :ok :f :get :value [1 nil]}]"""));
    }

    @Test
    void aKvFailureWithATimedOutWriteOfTheValueIsExplainedHonestly() {
        // The read's value was written by a put that timed out, so no simple story holds: it may be current.
        String honest = headline("kv", null, """
                [{:process 0 :type :invoke :f :put :value [1 5]} {:process 0 :type :info :f :put :value [1 5]}
                 {:process 1 :type :invoke :f :get :value [1 {:version 3}]}
                 {:process 1 :type :ok :f :get :value [1 {:value 5 :version 3}]}]""");
        assertTrue(honest.startsWith("No order of the "), honest);
        assertTrue(honest.contains("around get of key 1 by process 1 (invoked at 2) explains it"), honest);
        assertTrue(honest.contains("the model could only be in 5 (version 1) or absent"), honest);
    }

    private static String headline(String modelName, Object initial, String edn) {
        History history = JepsenEdn.read(edn);
        Model<?> model = Models.byName(modelName, initial);
        Counterexample c = Checker.check(history, model, Budget.unlimitedTime(), 1).counterexample().orElseThrow();
        return Headline.of(c, modelName);
    }
}
