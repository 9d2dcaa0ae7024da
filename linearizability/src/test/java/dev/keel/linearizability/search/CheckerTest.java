package dev.keel.linearizability.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.linearizability.gen.HistoryGenerator;
import dev.keel.linearizability.gen.HistoryGenerator.Spec;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.JepsenEdn;
import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.model.Model;
import dev.keel.linearizability.model.Models;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckerTest {
    private static final Model<?> CAS = Models.byName("cas-register", 0L);

    /** Once 3 was written and read, a read of 2 is stale; the window is that read alone. */
    private static final String STALE_READ = """
            [{:process 0 :type :invoke :f :write :value 1}
             {:process 0 :type :ok :f :write :value 1}
             {:process 1 :type :invoke :f :cas :value [1 2]}
             {:process 1 :type :ok :f :cas :value [1 2]}
             {:process 2 :type :invoke :f :read :value nil}
             {:process 0 :type :invoke :f :write :value 3}
             {:process 2 :type :ok :f :read :value 3}
             {:process 0 :type :ok :f :write :value 3}
             {:process 2 :type :invoke :f :read :value nil}
             {:process 2 :type :ok :f :read :value 2}]""";

    @Test
    void theCounterexampleShowsTheLongestLinearizationTheWindowAndTheStates() {
        History history = JepsenEdn.read(STALE_READ);
        CheckResult result = Checker.check(history, CAS, Budget.unlimitedTime());
        Counterexample c = result.counterexample().orElseThrow();
        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict());
        assertEquals(4, c.completedLinearized());
        assertEquals(5, c.completedTotal());
        assertEquals(List.of("write", "cas", "write", "read"), c.linearized().stream().map(Operation::f).toList());
        Operation staleRead = history.operations().get(4);
        assertEquals(List.of(staleRead), c.window());
        assertEquals(staleRead, c.blocked());
        assertEquals(List.of("3"), c.states());
        assertEquals(null, c.key());
    }

    @Test
    void concurrentCandidatesAllBelongToTheWindowAndEveryReachableStateIsListed() {
        CheckResult result = Checker.check(JepsenEdn.read("""
                [{:process 0 :type :invoke :f :write :value 1}
                 {:process 1 :type :invoke :f :write :value 2}
                 {:process 0 :type :ok :f :write :value 1}
                 {:process 1 :type :ok :f :write :value 2}
                 {:process 2 :type :invoke :f :read :value nil}
                 {:process 3 :type :invoke :f :read :value nil}
                 {:process 2 :type :ok :f :read :value 4}
                 {:process 3 :type :ok :f :read :value 5}]"""), CAS, Budget.unlimitedTime(), 1);
        Counterexample c = result.counterexample().orElseThrow();
        assertEquals(2, c.window().size());
        assertEquals(List.of("2", "1"), c.states(), "either write may have been last");
    }

    @Test
    void anExhaustedTimeBudgetAnswersUnknown() {
        History history = HistoryGenerator.generate(new Spec("cas-register", 50, 4, 1, 0.1, 3, 7));
        CheckResult result = Checker.check(history, CAS, Budget.of(Duration.ZERO));
        assertEquals(Verdict.UNKNOWN, result.verdict());
        assertTrue(result.reason().startsWith("time budget exhausted"), result.reason());
    }

    @Test
    void anExhaustedMemoryBudgetAnswersUnknown() {
        History history = HistoryGenerator.generate(new Spec("kv", 5000, 10, 4, 0.05, 5, 11));
        CheckResult result = Checker.check(history, Models.kv(null), Budget.unlimitedTime().withMemory(1));
        assertEquals(Verdict.UNKNOWN, result.verdict());
        assertTrue(result.reason().startsWith("memory budget exhausted"), result.reason());
    }

    @Test
    void aFailureBeatsAnUnknownAndTheLowestFailingKeyIsReported() {
        CheckResult result = Checker.check(JepsenEdn.read("""
                [{:process 0 :type :invoke :f :read :value [3 nil]}
                 {:process 0 :type :ok :f :read :value [3 9]}
                 {:process 1 :type :invoke :f :read :value [2 nil]}
                 {:process 1 :type :ok :f :read :value [2 8]}
                 {:process 2 :type :invoke :f :read :value [1 nil]}
                 {:process 2 :type :ok :f :read :value [1 0]}]"""), Models.independent(CAS), Budget.unlimitedTime());
        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict());
        assertEquals(2L, result.counterexample().orElseThrow().key());
        assertEquals(3, result.parts());
    }

    @Test
    void theExampleInTheDocsWorks() {
        History history = History.builder()
                .invoke(0, "put", List.of("k1", 5))
                .invoke(1, "get", Arrays.asList("k1", null))
                .ok(0)
                .ok(1, List.of("k1", 5))
                .invoke(2, "put", List.of("k1", 6)).info(2)
                .build();
        CheckResult result = Checker.check(history, Models.kv(null), Budget.of(Duration.ofSeconds(10)));
        assertEquals(Verdict.LINEARIZABLE, result.verdict());
        assertEquals(history, JepsenEdn.read(JepsenEdn.write(history)));
    }

    @Test
    void aModelThatThrowsInAWorkerThreadIsNotMistakenForASkippedPart() {
        Model<Object> broken = new Model<>() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Object initialState() {
                return 0L;
            }

            @Override
            public Object step(Object state, Operation op) {
                throw new IllegalStateException("model bug");
            }

            @Override
            public String problemWith(Operation op) {
                return null;
            }
        };
        History history = JepsenEdn.read("[{:process 0 :type :invoke :f :write :value [1 1]}"
                + " {:process 0 :type :ok :f :write :value [1 1]}"
                + " {:process 1 :type :invoke :f :write :value [2 1]}"
                + " {:process 1 :type :ok :f :write :value [2 1]}]");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Checker.check(history, Models.independent(broken), Budget.unlimitedTime(), 2));
        assertEquals("model bug", e.getMessage());
    }

    @Test
    void emptyHistoriesAreLinearizable() {
        assertEquals(Verdict.LINEARIZABLE, Checker.check(History.of(List.of()), CAS, Budget.unlimitedTime()).verdict());
        assertEquals(Verdict.LINEARIZABLE,
                Checker.check(History.of(List.of()), Models.kv(null), Budget.unlimitedTime()).verdict());
    }

    @Test
    void badArgumentsAreRejected() {
        History empty = History.of(List.of());
        assertThrows(IllegalArgumentException.class, () -> Checker.check(empty, CAS, Budget.unlimitedTime(), 0));
        assertThrows(IllegalArgumentException.class, () -> Budget.of(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> Budget.unlimitedTime().withMemory(0));
        assertThrows(IllegalArgumentException.class, () -> Models.byName("queue", null));
    }
}
