package dev.keel.benchmarks;

import dev.keel.linearizability.gen.HistoryCorruption;
import dev.keel.linearizability.gen.HistoryGenerator;
import dev.keel.linearizability.gen.HistoryGenerator.Spec;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.model.Model;
import dev.keel.linearizability.model.Models;
import dev.keel.linearizability.search.Budget;
import dev.keel.linearizability.search.Checker;
import dev.keel.linearizability.search.Verdict;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The linearizability checker on the reference histories (targets in docs/benchmarks.md):
 * <ul>
 *   <li>{@code kv100k}: 100,000 kv operations over 100 keys, 10 concurrent processes, 5 % indeterminate,
 *       practically unique written values (as a simulator writes them) — target under 5 s;</li>
 *   <li>{@code kv100kCorrupted}: the first with one read corrupted, so the failing key's search is exhaustive;</li>
 *   <li>{@code casRegister1k}: one cas-register, 1,000 operations, 10 processes, values 0..4, 5 % indeterminate
 *       (Knossos' shape) — target under 1 s.</li>
 * </ul>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar CheckerBenchmark} (2 warm-ups and 3 measured iterations
 * of 10 s, one fork: about 3 minutes for the three). The hard case of
 * small value ranges with versions observed is measured with the CLI instead (docs/benchmarks.md): its
 * non-linearizable histories can exhaust any budget, which does not fit a JMH iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class CheckerBenchmark {
    /** Far beyond the targets: a slow run shows up as a slow figure, not as a hang. */
    private static final Budget BUDGET = Budget.of(Duration.ofSeconds(60));

    private final Model<?> kv = Models.kv(null);
    private final Model<?> casRegister = Models.byName("cas-register", null);
    private History kv100k;
    private History kv100kCorrupted;
    private History casRegister1k;

    /** Generates the histories once and makes sure each gets the verdict it is built for. */
    @Setup
    public void generate() {
        kv100k = HistoryGenerator.generate(new Spec("kv", 100_000, 10, 100, 0.05, 1_000_000_000, 1));
        kv100kCorrupted = HistoryCorruption.corruptOneRead(kv100k, 1);
        casRegister1k = HistoryGenerator.generate(new Spec("cas-register", 1_000, 10, 1, 0.05, 5, 1));
        expect(Verdict.LINEARIZABLE, kv100k, kv);
        expect(Verdict.NOT_LINEARIZABLE, kv100kCorrupted, kv);
        expect(Verdict.LINEARIZABLE, casRegister1k, casRegister);
    }

    @Benchmark
    public Verdict kv100k() {
        return Checker.check(kv100k, kv, BUDGET).verdict();
    }

    @Benchmark
    public Verdict kv100kCorrupted() {
        return Checker.check(kv100kCorrupted, kv, BUDGET).verdict();
    }

    @Benchmark
    public Verdict casRegister1k() {
        return Checker.check(casRegister1k, casRegister, BUDGET).verdict();
    }

    private static void expect(Verdict expected, History history, Model<?> model) {
        Verdict actual = Checker.check(history, model, BUDGET).verdict();
        if (actual != expected) {
            throw new IllegalStateException("expected " + expected + " but got " + actual + " for " + model.name());
        }
    }
}
