package dev.keel.linearizability.model;

import dev.keel.linearizability.edn.EdnValues;
import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.InvalidHistoryException;
import dev.keel.linearizability.history.Operation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Jepsen's {@code jepsen.independent}: many independent objects of one model, one per key, in one history.
 * Every operation's value is a tuple {@code [key value]}, e.g. {@code {:f :cas, :value [k1 [3 4]]}}. The checker
 * splits such a history by key ({@link Partitionable}) and checks each key alone. As a {@link Model} in its own
 * right (state: key → per-key state) it serves reference checkers that do not split.
 *
 * @param <S> the per-key state type
 */
public final class IndependentModel<S> implements Model<Map<Object, S>>, Partitionable {
    private final String name;
    private final Model<S> perKey;

    /**
     * @param name   the model's name, e.g. {@code kv} or {@code independent cas-register}
     * @param perKey the model of one key
     */
    public IndependentModel(String name, Model<S> perKey) {
        this.name = name;
        this.perKey = perKey;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Model<?> partitionModel() {
        return perKey;
    }

    @Override
    public List<Partition> partition(History history) {
        Map<Object, List<Operation>> byKey = new HashMap<>();
        for (Operation op : history.operations()) {
            String problem = tupleProblem(op); // the per-key model validates the rest when the part is checked
            if (problem != null) {
                throw new InvalidHistoryException(op, "", problem);
            }
            byKey.computeIfAbsent(keyOf(op), k -> new ArrayList<>()).add(unwrap(op));
        }
        List<Partition> parts = new ArrayList<>();
        byKey.forEach((key, ops) -> parts.add(new Partition(key, History.of(ops))));
        // Keys of mixed types have no natural order; their EDN text gives one that is the same on every run.
        parts.sort(Comparator.comparing((Partition p) -> EdnWriter.write(p.key())));
        return parts;
    }

    @Override
    public Map<Object, S> initialState() {
        return Collections.emptyMap();
    }

    @Override
    public Map<Object, S> step(Map<Object, S> state, Operation op) {
        Object key = keyOf(op);
        S current = state.containsKey(key) ? state.get(key) : perKey.initialState();
        S next = perKey.step(current, unwrap(op));
        if (next == null) {
            return null;
        }
        Map<Object, S> changed = new HashMap<>(state);
        changed.put(key, next);
        return Collections.unmodifiableMap(changed);
    }

    @Override
    public String problemWith(Operation op) {
        String problem = tupleProblem(op);
        return problem != null ? problem : perKey.problemWith(unwrap(op));
    }

    private static String tupleProblem(Operation op) {
        List<?> in = EdnValues.tuple(op.input(), 2);
        if (in == null) {
            return "an independent history needs values [key value], got " + EdnWriter.write(op.input());
        }
        if (op.output() != null) {
            List<?> out = EdnValues.tuple(op.output(), 2);
            if (out == null || !Objects.equals(in.get(0), out.get(0))) {
                return "the completion's value must be [key value] with the invocation's key "
                        + EdnWriter.write(in.get(0)) + ", got " + EdnWriter.write(op.output());
            }
        }
        return null;
    }

    @Override
    public boolean isReadOnly(Operation op) {
        return perKey.isReadOnly(unwrap(op));
    }

    @Override
    public boolean same(Map<Object, S> a, Map<Object, S> b) {
        return withDefaults(a).equals(withDefaults(b));
    }

    @Override
    public int hash(Map<Object, S> state) {
        return withDefaults(state).hashCode();
    }

    @Override
    public String describe(Map<Object, S> state) {
        Map<String, String> sorted = new LinkedHashMap<>();
        state.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<Object, S> e) -> EdnWriter.write(e.getKey())))
                .forEach(e -> sorted.put(EdnWriter.write(e.getKey()), perKey.describe(e.getValue())));
        return sorted.toString();
    }

    private Map<Object, S> withDefaults(Map<Object, S> state) {
        Map<Object, S> explicit = new HashMap<>(state);
        explicit.values().removeIf(s -> perKey.same(s, perKey.initialState()));
        return explicit;
    }

    private static Object keyOf(Operation op) {
        return ((List<?>) op.input()).get(0);
    }

    private static Operation unwrap(Operation op) {
        Object output = op.output() == null ? null : ((List<?>) op.output()).get(1);
        return op.withValues(((List<?>) op.input()).get(1), output);
    }
}
