package dev.keel.linearizability.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keel.linearizability.gen.HistoryCorruption;
import dev.keel.linearizability.gen.HistoryGenerator;
import dev.keel.linearizability.gen.HistoryGenerator.Spec;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.model.Model;
import dev.keel.linearizability.model.Models;
import dev.keel.linearizability.testing.BruteForce;
import dev.keel.linearizability.testing.RandomHistories;
import dev.keel.linearizability.testing.Seeded;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checker's verdicts against a brute-force reference and against histories with known answers. */
class CheckerProperties {
    @ParameterizedTest
    @ValueSource(strings = {"register", "cas-register", "mutex", "multi-register", "kv"})
    void agreesWithBruteForceOnSmallRandomHistories(String modelName) {
        Model<?> model = Models.byName(modelName, null);
        Seeded.forAllHistories("agrees with brute force: " + modelName, 400,
                seed -> RandomHistories.generate(modelName, 8, seed),
                history -> assertEquals(expected(history, model), Checker.check(history, model,
                        Budget.unlimitedTime(), 1).verdict(), "checker and brute force disagree"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"register", "cas-register", "multi-register", "kv"})
    void agreesWithBruteForceWhenMostWrittenValuesAreNeverRead(String modelName) {
        Model<?> model = Models.byName(modelName, null);
        Seeded.forAllHistories("agrees with brute force, many values: " + modelName, 300,
                seed -> RandomHistories.generate(modelName, 8, 6, seed),
                history -> assertEquals(expected(history, model), Checker.check(history, model,
                        Budget.unlimitedTime(), 1).verdict(), "checker and brute force disagree"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"register", "cas-register", "mutex", "multi-register", "kv"})
    void generatedHistoriesAreLinearizable(String workload) {
        Model<?> model = keyed(workload);
        Seeded.forAllHistories("generated histories are linearizable: " + workload, 40,
                seed -> HistoryGenerator.generate(new Spec(workload, 150, 6, 3, 0.1, 3, seed)),
                history -> assertEquals(Verdict.LINEARIZABLE, Checker.check(history, model, Budget.unlimitedTime())
                        .verdict(), "a history made from a sequential run must be linearizable"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cas-register", "kv", "multi-register"})
    void aReadOfAValueNeverWrittenIsCaught(String workload) {
        Model<?> model = keyed(workload);
        Seeded.forAllHistories("corrupted reads are caught: " + workload, 40,
                seed -> HistoryCorruption.corruptOneRead(
                        HistoryGenerator.generate(new Spec(workload, 80, 5, 2, 0.05, 3, seed)), seed),
                history -> assertEquals(Verdict.NOT_LINEARIZABLE, Checker.check(history, model,
                        Budget.unlimitedTime()).verdict(), "a read of a value nobody wrote must be caught"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void theReportedFailureDoesNotDependOnParallelism(int parallelism) {
        Model<?> kv = Models.kv(null);
        Seeded.forAll("lowest failing key is reported", 20, seed -> {
            History generated = HistoryGenerator.generate(new Spec("kv", 300, 6, 8, 0.05, 3, seed));
            // Two corrupted reads, often on two keys: the lower key's failure must win on any thread timing.
            History history = HistoryCorruption.corruptOneRead(HistoryCorruption.corruptOneRead(generated, seed),
                    seed + 1);
            CheckResult sequential = Checker.check(history, kv, Budget.unlimitedTime(), 1);
            CheckResult parallel = Checker.check(history, kv, Budget.unlimitedTime(), parallelism);
            assertEquals(sequential.verdict(), parallel.verdict());
            assertEquals(sequential.counterexample(), parallel.counterexample());
        });
    }

    /** The generator makes registers independent ([key value] tuples) when asked for several keys. */
    private static Model<?> keyed(String workload) {
        Model<?> model = Models.byName(workload, null);
        return workload.endsWith("register") && !workload.startsWith("multi") ? Models.independent(model) : model;
    }

    private static Verdict expected(History history, Model<?> model) {
        return BruteForce.isLinearizable(history, model) ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE;
    }
}
