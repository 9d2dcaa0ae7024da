package dev.keel.linearizability.search;

import dev.keel.linearizability.history.History;
import dev.keel.linearizability.model.Model;
import dev.keel.linearizability.model.Partitionable;
import dev.keel.linearizability.model.Partitionable.Partition;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a history is linearizable with respect to a model.
 *
 * <p>A model that is {@link Partitionable} (kv, any {@code independent} model) is checked key by key
 * (P-compositionality), the parts in parallel on up to {@code parallelism} threads. The first part found not
 * linearizable stops the parts after it; the reported failure is always the one of the lowest key that fails,
 * so the answer does not depend on thread timing. Each part runs Wing and Gong's search with Lowe's cache
 * ({@link PartitionSearch}).
 *
 * <pre>{@code
 * CheckResult result = Checker.check(history, Models.byName("cas-register", 0L), Budget.of(Duration.ofSeconds(10)));
 * if (result.verdict() == Verdict.NOT_LINEARIZABLE) { ... result.counterexample().get().window() ... }
 * }</pre>
 */
public final class Checker {
    private Checker() {
    }

    /**
     * Checks on as many threads as the machine has cores.
     *
     * @throws dev.keel.linearizability.history.InvalidHistoryException if the model cannot interpret an operation
     */
    public static CheckResult check(History history, Model<?> model, Budget budget) {
        return check(history, model, budget, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param parallelism how many parts may be searched at once; 1 searches them in order on this thread
     * @throws dev.keel.linearizability.history.InvalidHistoryException if the model cannot interpret an operation
     */
    public static CheckResult check(History history, Model<?> model, Budget budget, int parallelism) {
        return check(history, model, budget, parallelism, new CheckProgress());
    }

    /**
     * Like {@link #check(History, Model, Budget, int)}, telling {@code progress} how far it got as it goes.
     *
     * @throws dev.keel.linearizability.history.InvalidHistoryException if the model cannot interpret an operation
     */
    public static CheckResult check(History history, Model<?> model, Budget budget, int parallelism,
            CheckProgress progress) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
        long start = System.nanoTime();
        List<PreparedPart<?>> parts = new ArrayList<>();
        if (model instanceof Partitionable) {
            Model<?> perKey = ((Partitionable) model).partitionModel();
            for (Partition partition : ((Partitionable) model).partition(history)) {
                parts.add(PreparedPart.prepare(partition.key(), partition.history(), perKey));
            }
        } else {
            parts.add(PreparedPart.prepare(null, history, model));
        }
        progress.started(parts.size());
        return new PartRunner(parts, budget, start, progress).run(parallelism);
    }
}
