package dev.keel.linearizability.gen;

import dev.keel.linearizability.edn.Keyword;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Breaks a history in a way no linearization can explain: one successful read is made to return a value that
 * no operation ever writes. Tests use it to check that such bugs are always caught; benchmarks use it to time
 * the checker on histories that are not linearizable.
 */
public final class HistoryCorruption {
    /** Negative, and the generator only writes values from 0 up, so no operation writes it. */
    public static final long NEVER_WRITTEN = -1L;

    private static final Keyword READ = Keyword.of("read");

    private HistoryCorruption() {
    }

    /**
     * @param history a history of the register, cas-register, multi-register or kv workload (possibly keyed)
     * @param seed    chooses which read
     * @return the history with one random successful read's result replaced by {@link #NEVER_WRITTEN}
     * @throws IllegalArgumentException if the history has no successful read
     */
    public static History corruptOneRead(History history, long seed) {
        List<Integer> reads = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            Operation op = history.operations().get(i);
            if (op.type() == OpType.OK && (op.f().equals("read") || op.f().equals("get")
                    || op.f().equals("txn") && firstRead(op.output()) >= 0)) {
                reads.add(i);
            }
        }
        if (reads.isEmpty()) {
            throw new IllegalArgumentException("the history has no successful read to corrupt");
        }
        int victim = reads.get(new SplittableRandom(seed).nextInt(reads.size()));
        List<Operation> ops = new ArrayList<>(history.operations());
        Operation op = ops.get(victim);
        ops.set(victim, op.withValues(op.input(), corrupt(op.output())));
        return History.of(ops);
    }

    private static Object corrupt(Object output) {
        int read = firstRead(output);
        if (read >= 0) { // a multi-register transaction: corrupt its first read
            List<Object> txn = new ArrayList<>((List<?>) output);
            txn.set(read, List.of(READ, ((List<?>) txn.get(read)).get(1), NEVER_WRITTEN));
            return txn;
        }
        if (output instanceof List && ((List<?>) output).size() == 2) { // a keyed read: [key value]
            return Arrays.asList(((List<?>) output).get(0), NEVER_WRITTEN);
        }
        return NEVER_WRITTEN;
    }

    /** @return the index of the first {@code [:read k v]} of a transaction, or -1 */
    private static int firstRead(Object output) {
        if (!(output instanceof List)) {
            return -1;
        }
        List<?> items = (List<?>) output;
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof List && READ.equals(((List<?>) items.get(i)).get(0))) {
                return i;
            }
        }
        return -1;
    }
}
