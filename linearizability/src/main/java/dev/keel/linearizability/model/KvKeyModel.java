package dev.keel.linearizability.model;

import dev.keel.linearizability.edn.EdnValues;
import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.edn.Keyword;
import dev.keel.linearizability.history.Operation;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One key of the etcd-style {@code kv} model (see {@link Models#kv(Object)}, which checks a history key by key
 * with this model). Values below are what remains of an operation's value once the key is taken out:
 * <ul>
 *   <li>{@code :get v}: the read saw {@code v}; {@code nil} means the key did not exist; a map
 *       {@code {:value v :version n}} also checks etcd's version (either entry may be left out);</li>
 *   <li>{@code :put v}: sets the value ({@code v} must not be {@code nil}) and increments the version;</li>
 *   <li>{@code :delete d}: removes the key (version back to 0); {@code d}, if not {@code nil}, is the number of
 *       keys etcd reported deleted (0 or 1) and is checked;</li>
 *   <li>{@code :cas [expected new]}: a put that happens only if the value is {@code expected} ({@code nil}: only
 *       if the key does not exist); {@code ok} means it happened, {@code fail} that it did not;</li>
 *   <li>{@code :txn {...}}: a single-key transaction, see {@link KvTxn}.</li>
 * </ul>
 */
public final class KvKeyModel implements Model<KvState> {
    private static final Keyword VALUE = Keyword.of("value");
    private static final Keyword VERSION = Keyword.of("version");

    private final KvState initial;

    /** @param initialValue each key's value before the history ({@code nil}: keys start absent) */
    public KvKeyModel(Object initialValue) {
        Object value = EdnValues.normalize(initialValue);
        this.initial = value == null ? KvState.ABSENT : KvState.ABSENT.put(value);
    }

    @Override
    public String name() {
        return "kv";
    }

    @Override
    public KvState initialState() {
        return initial;
    }

    @Override
    public KvState step(KvState state, Operation op) {
        Object value = op.value();
        switch (op.f()) {
            case "get":
                return observes(state, value) ? state : null;
            case "put":
                return state.put(value);
            case "delete":
                if (value != null && (Long) value != (state.exists() ? 1L : 0L)) {
                    return null;
                }
                return KvState.ABSENT;
            case "cas":
                List<?> cas = (List<?>) value;
                Object expected = cas.get(0);
                boolean matches = expected == null ? !state.exists() : state.exists() && expected.equals(state.value());
                return matches ? state.put(cas.get(1)) : null;
            default:
                return KvTxn.apply(state, (Map<?, ?>) value);
        }
    }

    @Override
    public String problemWith(Operation op) {
        Object value = op.value();
        switch (op.f()) {
            case "get":
                return null;
            case "put":
                return value == null ? ":put needs a value that is not nil" : null;
            case "delete":
                return value == null || value instanceof Long ? null
                        : ":delete's result must be nil or the number of deleted keys, got " + EdnWriter.write(value);
            case "cas":
                List<?> cas = EdnValues.tuple(value, 2);
                return cas == null || cas.get(1) == null
                        ? ":cas needs [expected new] with a new value that is not nil, got " + EdnWriter.write(value)
                        : null;
            case "txn":
                return KvTxn.problemWith(value);
            default:
                return "kv knows :get, :put, :delete, :cas and :txn, not :" + op.f();
        }
    }

    @Override
    public void observedValues(Operation op, Consumer<Object> observed) {
        switch (op.f()) {
            case "get":
                observedBy(op.value(), observed);
                break;
            case "cas":
                observed.accept(((List<?>) op.value()).get(0));
                break;
            case "txn":
                KvTxn.observedValues((Map<?, ?>) op.value(), observed);
                break;
            default:
                break;
        }
    }

    @Override
    public Operation forgetUnobserved(Operation op, Predicate<Object> isObserved) {
        Object value = op.value();
        switch (op.f()) {
            case "put":
                return isObserved.test(value) ? op : op.withValues(UNOBSERVED, UNOBSERVED);
            case "cas":
                List<?> cas = (List<?>) value;
                if (isObserved.test(cas.get(1))) {
                    return op;
                }
                List<Object> forgotten = Arrays.asList(cas.get(0), UNOBSERVED);
                return op.withValues(forgotten, forgotten);
            case "txn":
                Map<?, ?> txn = KvTxn.forgetUnobserved((Map<?, ?>) value, isObserved);
                return txn == value ? op : op.withValues(txn, txn);
            default:
                return op;
        }
    }

    @Override
    public boolean isReadOnly(Operation op) {
        return op.f().equals("get") || op.f().equals("txn") && KvTxn.isReadOnly((Map<?, ?>) op.value());
    }

    @Override
    public String describe(KvState state) {
        return state.describe();
    }

    /** @return whether a read that reported {@code observed} can have read {@code state} */
    static boolean observes(KvState state, Object observed) {
        if (observed instanceof Map) {
            Map<?, ?> seen = (Map<?, ?>) observed;
            Object version = seen.get(VERSION);
            if (version != null && !version.equals(state.version())) {
                return false;
            }
            return !seen.containsKey(VALUE) || sameValue(state, seen.get(VALUE));
        }
        return sameValue(state, observed);
    }

    /** Reports the value a read result ({@code v} or {@code {:value v ...}}) observed, if any. */
    static void observedBy(Object result, Consumer<Object> observed) {
        if (result instanceof Map) {
            Map<?, ?> seen = (Map<?, ?>) result;
            if (seen.containsKey(VALUE)) {
                observed.accept(seen.get(VALUE));
            }
        } else {
            observed.accept(result);
        }
    }

    private static boolean sameValue(KvState state, Object observed) {
        return observed == null ? !state.exists() : state.exists() && observed.equals(state.value());
    }
}
