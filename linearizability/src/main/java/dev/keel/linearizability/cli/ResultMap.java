package dev.keel.linearizability.cli;

import dev.keel.linearizability.edn.EdnException;
import dev.keel.linearizability.edn.EdnReader;
import dev.keel.linearizability.edn.Keyword;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.search.CheckResult;
import dev.keel.linearizability.search.Counterexample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One history's result as a Knossos-style analysis map, the form {@code --format edn} and {@code json} print:
 * {@code :valid?} (true, false or {@code :unknown}), and for a failure Knossos' {@code :op} (the operation that
 * could not be linearized), {@code :previous-ok}, {@code :last-op} and {@code :final-paths}, plus Keel's
 * {@code :key}, {@code :window} and sizes. Operations are Jepsen completion maps.
 */
final class ResultMap {
    private final Map<Keyword, Object> model;

    /** @param model the {@code :model} entry: the model's name and initial state */
    ResultMap(Map<Keyword, Object> model) {
        this.model = model;
    }

    /** @return the map for one history, keys in a fixed order */
    Map<Keyword, Object> of(Checked checked) {
        Map<Keyword, Object> map = new LinkedHashMap<>();
        map.put(k("file"), checked.input().label());
        CheckResult result = checked.result();
        if (result == null) {
            map.put(k("valid?"), k("unknown")); // as Jepsen's checkers answer when the check itself failed
            map.put(k("analyzer"), k("keel"));
            map.put(k("error"), checked.detail());
            map.put(k("exit"), (long) checked.outcome().exitCode());
            return map;
        }
        map.put(k("valid?"), switch (result.verdict()) {
            case LINEARIZABLE -> Boolean.TRUE;
            case NOT_LINEARIZABLE -> Boolean.FALSE;
            case UNKNOWN -> k("unknown");
        });
        map.put(k("analyzer"), k("keel"));
        map.put(k("model"), model);
        if (result.reason() != null) {
            map.put(k("cause"), result.reason());
        }
        result.counterexample().ifPresent(c -> putFailure(c, map));
        if (checked.history() != null) {
            map.put(k("operations"), (long) checked.history().size());
        }
        map.put(k("parts"), (long) result.parts());
        map.put(k("parts-decided"), (long) result.partsDecided());
        map.put(k("cached-states"), result.cachedStates());
        map.put(k("elapsed-ms"), result.elapsed().toMillis());
        if (checked.report() != null && result.counterexample().isPresent()) {
            map.put(k("report"), checked.report().substring("report: ".length()));
        }
        map.put(k("exit"), (long) checked.outcome().exitCode());
        return map;
    }

    private static void putFailure(Counterexample c, Map<Keyword, Object> map) {
        if (c.key() != null) {
            map.put(k("key"), c.key());
        }
        map.put(k("op"), op(c.blocked()));
        Operation previousOk = null;
        for (Operation op : c.linearized()) {
            previousOk = op.type() == OpType.OK ? op : previousOk;
        }
        map.put(k("previous-ok"), previousOk == null ? null : op(previousOk));
        List<Operation> linearized = c.linearized();
        map.put(k("last-op"), linearized.isEmpty() ? null : op(linearized.get(linearized.size() - 1)));
        map.put(k("final-paths"), finalPaths(c));
        List<Object> window = new ArrayList<>();
        c.window().forEach(op -> window.add(op(op)));
        map.put(k("window"), window);
        map.put(k("linearized-completed"), (long) c.completedLinearized());
        map.put(k("completed"), (long) c.completedTotal());
    }

    /**
     * Knossos' final paths, one step long: from each model state the search reached just before the failing
     * operation (at most 32), that operation applied, ending {@code :inconsistent} where the model refuses it.
     */
    private static List<Object> finalPaths(Counterexample c) {
        List<Object> paths = new ArrayList<>();
        for (int i = 0; i < c.states().size(); i++) {
            List<Object> path = new ArrayList<>();
            path.add(Map.of(k("model"), state(c.states().get(i))));
            if (i < c.afterBlocked().size()) {
                String after = c.afterBlocked().get(i);
                Map<Keyword, Object> step = new LinkedHashMap<>();
                step.put(k("op"), op(c.blocked()));
                step.put(k("model"), after == null ? k("inconsistent") : state(after));
                path.add(step);
            }
            paths.add(path);
        }
        return paths;
    }

    /** @return a state description as EDN when it is one value (most models' are), else as a string */
    private static Object state(String description) {
        try {
            return EdnReader.readOne(description);
        } catch (EdnException e) {
            return description; // e.g. a kv state "3 (version 2)"
        }
    }

    /** @return the operation as Jepsen's completion map, with the invocation's index too */
    static Map<Keyword, Object> op(Operation op) {
        Map<Keyword, Object> map = new LinkedHashMap<>();
        map.put(k("process"), op.process());
        map.put(k("type"), k(op.type().jepsenName()));
        map.put(k("f"), k(op.f()));
        map.put(k("value"), op.completed() ? op.output() : op.input());
        if (op.completed()) {
            map.put(k("index"), op.completeTime());
        }
        map.put(k("invoke-index"), op.invokeTime());
        return map;
    }

    private static Keyword k(String name) {
        return Keyword.of(name);
    }
}
