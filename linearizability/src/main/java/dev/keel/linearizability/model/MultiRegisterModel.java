package dev.keel.linearizability.model;

import dev.keel.linearizability.edn.EdnValues;
import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.edn.Keyword;
import dev.keel.linearizability.history.Operation;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Knossos' {@code multi-register}: several registers changed together by transactions. The only function is
 * {@code :txn}, whose value is a vector of micro-operations {@code [:read k v]} and {@code [:write k v]}
 * ({@code :r} and {@code :w} are accepted too), applied in order. A read of {@code nil} matches anything, as in
 * Knossos; keys never written read as {@code nil}.
 */
public final class MultiRegisterModel implements Model<Map<Object, Object>> {
    private final Map<Object, Object> initial;

    /**
     * @param initial the registers' first values, e.g. {@code {:x 0 :y 0}}; {@code null} means all {@code nil}
     */
    public MultiRegisterModel(Map<?, ?> initial) {
        Map<Object, Object> values = new HashMap<>();
        if (initial != null) {
            initial.forEach((k, v) -> {
                if (v != null) {
                    values.put(EdnValues.normalize(k), EdnValues.normalize(v));
                }
            });
        }
        this.initial = Collections.unmodifiableMap(values);
    }

    @Override
    public String name() {
        return "multi-register";
    }

    @Override
    public Map<Object, Object> initialState() {
        return initial;
    }

    @Override
    public Map<Object, Object> step(Map<Object, Object> state, Operation op) {
        Map<Object, Object> changed = null;
        for (Object item : (List<?>) op.value()) {
            List<?> micro = (List<?>) item;
            Object key = micro.get(1);
            Object value = micro.get(2);
            if (isRead(micro)) {
                Object current = (changed != null ? changed : state).get(key);
                if (value != null && !value.equals(current)) {
                    return null;
                }
            } else {
                if (changed == null) {
                    changed = new HashMap<>(state);
                }
                if (value == null) {
                    changed.remove(key); // nil and "never written" are the same register value
                } else {
                    changed.put(key, value);
                }
            }
        }
        return changed == null ? state : Collections.unmodifiableMap(changed);
    }

    @Override
    public String problemWith(Operation op) {
        if (!op.f().equals("txn")) {
            return "multi-register knows only :txn, not :" + op.f();
        }
        if (!(op.value() instanceof List)) {
            return ":txn needs a vector of [:read k v] / [:write k v], got " + EdnWriter.write(op.value());
        }
        for (Object item : (List<?>) op.value()) {
            List<?> micro = EdnValues.tuple(item, 3);
            if (micro == null || !(micro.get(0) instanceof Keyword) || (!isRead(micro) && !isWrite(micro))) {
                return "a :txn step must be [:read k v] or [:write k v], got " + EdnWriter.write(item);
            }
        }
        return null;
    }

    @Override
    public boolean isReadOnly(Operation op) {
        for (Object item : (List<?>) op.value()) {
            if (!isRead((List<?>) item)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String describe(Map<Object, Object> state) {
        StringBuilder out = new StringBuilder("{");
        state.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<Object, Object> e) -> EdnWriter.write(e.getKey())))
                .forEach(e -> {
                    out.append(out.length() > 1 ? ", " : "");
                    out.append(EdnWriter.write(e.getKey())).append(' ').append(EdnWriter.write(e.getValue()));
                });
        return out.append('}').toString();
    }

    private static boolean isRead(List<?> micro) {
        String f = ((Keyword) micro.get(0)).name();
        return f.equals("read") || f.equals("r");
    }

    private static boolean isWrite(List<?> micro) {
        String f = ((Keyword) micro.get(0)).name();
        return f.equals("write") || f.equals("w");
    }
}
