package dev.keel.linearizability.report;

import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Makes a generated kv history non-linearizable the way real bugs do: one get returns an overwritten value. */
final class StaleReads {
    private StaleReads() {
    }

    /**
     * @return the history with the first successful get after its middle, on a key that has since seen at least two
     *     later successful puts, answering that key's first put value instead
     */
    static History injectOne(History history) {
        List<Operation> ops = new ArrayList<>(history.operations());
        Map<Object, Operation> firstPut = new HashMap<>();
        Map<Object, Integer> putsSince = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            Object key = ((List<?>) op.input()).get(0);
            if (op.f().equals("put") && op.type() == OpType.OK) {
                if (firstPut.putIfAbsent(key, op) != null) {
                    putsSince.merge(key, 1, Integer::sum);
                }
            } else if (op.f().equals("get") && op.type() == OpType.OK && i > ops.size() / 2
                    && putsSince.getOrDefault(key, 0) >= 2
                    && firstPut.get(key).completeTime() < op.invokeTime()) {
                Object stale = ((List<?>) firstPut.get(key).input()).get(1);
                ops.set(i, op.withValues(op.input(), Arrays.asList(key, stale)));
                return History.of(ops);
            }
        }
        throw new IllegalArgumentException("no get to make stale");
    }
}
