package dev.keel.linearizability.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keel.linearizability.edn.Keyword;
import dev.keel.linearizability.gen.HistoryGenerator;
import dev.keel.linearizability.gen.HistoryGenerator.Spec;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.model.Model;
import dev.keel.linearizability.model.Models;
import dev.keel.linearizability.testing.BruteForce;
import dev.keel.linearizability.testing.RandomHistories;
import dev.keel.linearizability.testing.Seeded;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checker's verdicts against a brute-force reference and against histories with known answers. */
class CheckerProperties {
    private static final Keyword READ = Keyword.of("read");

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
                seed -> corruptOneRead(HistoryGenerator.generate(new Spec(workload, 80, 5, 2, 0.05, 3, seed)), seed),
                history -> assertEquals(Verdict.NOT_LINEARIZABLE, Checker.check(history, model,
                        Budget.unlimitedTime()).verdict(), "a read of a value nobody wrote must be caught"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void theReportedFailureDoesNotDependOnParallelism(int parallelism) {
        Model<?> kv = Models.kv(null);
        Seeded.forAll("lowest failing key is reported", 20, seed -> {
            History history = corruptOneRead(HistoryGenerator.generate(new Spec("kv", 300, 6, 8, 0.05, 3, seed)),
                    seed);
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

    /** Replaces the result of one random successful read with a value no operation ever writes. */
    static History corruptOneRead(History history, long seed) {
        List<Integer> reads = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            Operation op = history.operations().get(i);
            if (op.type() == OpType.OK && (op.f().equals("read") || op.f().equals("get") || op.f().equals("txn")
                    && hasRead(op.output()))) {
                reads.add(i);
            }
        }
        if (reads.isEmpty()) {
            throw new IllegalStateException("the generated history has no read to corrupt; make it longer");
        }
        int victim = reads.get(new SplittableRandom(seed).nextInt(reads.size()));
        List<Operation> ops = new ArrayList<>(history.operations());
        Operation op = ops.get(victim);
        ops.set(victim, op.withValues(op.input(), corrupt(op.output())));
        return History.of(ops);
    }

    private static boolean hasRead(Object txn) {
        return txn instanceof List && ((List<?>) txn).stream()
                .anyMatch(m -> m instanceof List && READ.equals(((List<?>) m).get(0)));
    }

    private static final long NEVER_WRITTEN = 999_999L;

    private static Object corrupt(Object output) {
        if (output instanceof List && hasRead(output)) { // multi-register txn: corrupt its first read
            List<Object> txn = new ArrayList<>((List<?>) output);
            for (int i = 0; i < txn.size(); i++) {
                List<?> micro = (List<?>) txn.get(i);
                if (READ.equals(micro.get(0))) {
                    txn.set(i, List.of(READ, micro.get(1), NEVER_WRITTEN));
                    return txn;
                }
            }
        }
        if (output instanceof List && ((List<?>) output).size() == 2) { // kv get: [key value]
            return Arrays.asList(((List<?>) output).get(0), NEVER_WRITTEN);
        }
        return NEVER_WRITTEN;
    }
}
