package dev.keel.linearizability.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.linearizability.edn.Keyword;
import dev.keel.linearizability.gen.HistoryGenerator;
import dev.keel.linearizability.gen.HistoryGenerator.Spec;
import dev.keel.linearizability.model.Model;
import dev.keel.linearizability.model.Models;
import dev.keel.linearizability.search.Budget;
import dev.keel.linearizability.search.Checker;
import dev.keel.linearizability.search.Verdict;
import dev.keel.linearizability.testing.RandomHistories;
import dev.keel.linearizability.testing.Seeded;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JepsenEdnTest {
    @Test
    void pairsInvocationsWithCompletionsByProcessAndIgnoresTheNemesis() {
        History history = JepsenEdn.read("""
                [{:process 0, :type :invoke, :f :read, :value nil, :time 10}
                 {:process :nemesis, :type :info, :f :start, :value nil}
                 {:process 1, :type :invoke, :f :write, :value 3}
                 {:process 0, :type :ok, :f :read, :value 3}
                 {:process 1, :type :info, :f :write, :value 3, :error :timeout}
                 {:process 2, :type :invoke, :f :cas, :value [3 4]}
                 {:process 2, :type :fail, :f :cas, :value [3 4]}
                 {:process 3, :type :invoke, :f :write, :value 5}]""");
        assertEquals(List.of(
                new Operation(0, "read", null, 3L, OpType.OK, 0, 3, null),
                new Operation(1, "write", 3L, 3L, OpType.INFO, 2, 4, Keyword.of("timeout")),
                new Operation(2, "cas", List.of(3L, 4L), List.of(3L, 4L), OpType.FAIL, 5, 6, null),
                new Operation(3, "write", 5L, null, OpType.INFO, 7, Operation.NEVER, null)), history.operations());
        assertFalse(history.operations().get(3).completed());
    }

    @Test
    void usesIndexAsTimeWhenPresent() {
        History history = JepsenEdn.read("""
                {:index 10, :type :invoke, :process 0, :f :read, :value nil}
                {:index 12, :type :ok, :process 0, :f :read, :value 1}""");
        assertEquals(10, history.operations().get(0).invokeTime());
        assertEquals(12, history.operations().get(0).completeTime());
    }

    @Test
    void aCompletionWithoutValueKeepsTheInvocationsValue() {
        History history = JepsenEdn.read(
                "[{:process 0 :type :invoke :f :write :value 1} {:process 0 :type :ok :f :write}]");
        assertEquals(1L, history.operations().get(0).value());
    }

    @Test
    void malformedHistoriesSayWhatAndWhere() {
        assertProblem("[{:process 0 :type :ok :f :read :value 1}]", "line 1, column 2: process 0 completes :read (ok)"
                + " but has no invocation open");
        assertProblem("[{:process 0 :type :invoke :f :read}\n {:process 0 :type :invoke :f :read}]",
                "line 2, column 2: process 0 invokes :read while its :read invoked at line 1, column 2");
        assertProblem("[{:process 0 :type :invoke :f :read}\n {:process 0 :type :ok :f :write}]",
                "completes :write but invoked :read");
        assertProblem("[{:type :invoke :f :read}]", "has no :process");
        assertProblem("[{:process 0 :type :done :f :read}]", ":type must be :invoke, :ok, :fail or :info");
        assertProblem("[{:process 0 :type :invoke}]", "has no :f");
        assertProblem("[1 2]", "expected an operation map");
        assertProblem("[{:index 5 :process 0 :type :invoke :f :read} {:index 5 :process 0 :type :ok :f :read}]",
                ":index 5 does not increase");
        assertProblem("[{:index -1 :process 0 :type :invoke :f :read}]", ":index must be a non-negative integer");
    }

    @Test
    void theSampleHistoriesRoundTrip() throws IOException {
        for (String name : List.of("cas-register-linearizable", "cas-register-not-linearizable",
                "independent-cas-register", "kv-linearizable")) {
            History read = JepsenEdn.read(resource("/histories/" + name + ".edn"));
            assertEquals(read, JepsenEdn.read(JepsenEdn.write(read)), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cas-register", "mutex", "multi-register", "kv"})
    void readingWhatWasWrittenGivesTheSameHistory(String workload) {
        Seeded.forAll("EDN round trip: " + workload, 30, seed -> {
            // Distinct event times (as every history read from EDN has) survive writing exactly.
            History generated = HistoryGenerator.generate(new Spec(workload, 60, 4, 3, 0.2, 4, seed));
            assertEquals(generated, JepsenEdn.read(JepsenEdn.write(generated)));
            History read = JepsenEdn.read(JepsenEdn.write(RandomHistories.generate(workload, 8, seed)));
            String written = JepsenEdn.write(read);
            assertEquals(read, JepsenEdn.read(written), written);
            assertEquals(written, JepsenEdn.write(JepsenEdn.read(written)));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"cas-register", "mutex", "multi-register", "kv"})
    void writingKeepsTheVerdictEvenWhenTimesTie(String workload) {
        Model<?> model = Models.byName(workload, null);
        Seeded.forAll("EDN keeps verdicts: " + workload, 100, seed -> {
            History random = RandomHistories.generate(workload, 8, seed); // times often tie here
            assertEquals(verdict(random, model), verdict(JepsenEdn.read(JepsenEdn.write(random)), model));
        });
    }

    private static Verdict verdict(History history, Model<?> model) {
        return Checker.check(history, model, Budget.unlimitedTime(), 1).verdict();
    }

    @Test
    void equalTimesAreWrittenAsConcurrentEvents() {
        History history = History.builder().at(5).invoke(0, "write", 1).at(5).invoke(1, "read", null)
                .at(5).ok(0).at(6).ok(1, 1).build();
        History read = JepsenEdn.read(JepsenEdn.write(history));
        Operation write = read.operations().get(0);
        Operation readOp = read.operations().get(1);
        assertTrue(write.completeTime() > readOp.invokeTime(), "the two operations must stay concurrent");
    }

    private static void assertProblem(String edn, String expected) {
        InvalidHistoryException e = assertThrows(InvalidHistoryException.class, () -> JepsenEdn.read(edn));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    static String resource(String path) throws IOException {
        try (InputStream in = JepsenEdnTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
