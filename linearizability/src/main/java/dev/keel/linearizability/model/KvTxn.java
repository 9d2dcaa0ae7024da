package dev.keel.linearizability.model;

import dev.keel.linearizability.edn.EdnValues;
import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.edn.Keyword;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A single-key etcd transaction as the kv model encodes it:
 * {@code {:compare [target op operand], :then [step ...], :else [step ...], :succeeded bool}}.
 * Targets are {@code :version} and {@code :value}; operators {@code :=}, {@code :not=}, {@code :<}, {@code :>};
 * steps {@code [:put v]}, {@code [:delete]}, {@code [:get]} (result unknown) and {@code [:get v]} (observed
 * {@code v}, {@code nil} for absent, or {@code {:value v :version n}}). {@code :succeeded} (which branch ran) is
 * checked when present. As in etcd, a value comparison on a missing key is false.
 */
final class KvTxn {
    private static final Keyword COMPARE = Keyword.of("compare");
    private static final Keyword THEN = Keyword.of("then");
    private static final Keyword ELSE = Keyword.of("else");
    private static final Keyword SUCCEEDED = Keyword.of("succeeded");

    private KvTxn() {
    }

    /** @return the state after the transaction, or {@code null} if its observed results cannot happen */
    static KvState apply(KvState state, Map<?, ?> txn) {
        boolean taken = compare(state, (List<?>) txn.get(COMPARE));
        Object succeeded = txn.get(SUCCEEDED);
        if (succeeded != null && !succeeded.equals(taken)) {
            return null;
        }
        Object branch = txn.get(taken ? THEN : ELSE);
        KvState current = state;
        for (Object item : branch == null ? List.of() : (List<?>) branch) {
            current = applyStep(current, (List<?>) item);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    /** Reports the values the transaction compares against: a {@code :value} compare's operand, gets' results. */
    static void observedValues(Map<?, ?> txn, Consumer<Object> observed) {
        List<?> compare = (List<?>) txn.get(COMPARE);
        if (isOneOf(compare.get(0), "value")) {
            observed.accept(compare.get(2));
        }
        for (Keyword branch : List.of(THEN, ELSE)) {
            for (Object item : txn.get(branch) == null ? List.of() : (List<?>) txn.get(branch)) {
                List<?> step = (List<?>) item;
                if (isOneOf(step.get(0), "get") && step.size() == 2) {
                    KvKeyModel.observedBy(step.get(1), observed);
                }
            }
        }
    }

    /** @return the transaction with unobserved put values replaced, or {@code txn} itself if none is */
    static Map<?, ?> forgetUnobserved(Map<?, ?> txn, Predicate<Object> isObserved) {
        Map<Object, Object> changed = null;
        for (Keyword branch : List.of(THEN, ELSE)) {
            List<?> steps = (List<?>) txn.get(branch);
            if (steps == null) {
                continue;
            }
            List<Object> rewritten = new ArrayList<>();
            boolean any = false;
            for (Object item : steps) {
                List<?> step = (List<?>) item;
                boolean forget = isOneOf(step.get(0), "put") && !isObserved.test(step.get(1));
                rewritten.add(forget ? List.of(step.get(0), Model.UNOBSERVED) : step);
                any |= forget;
            }
            if (any) {
                changed = changed == null ? new LinkedHashMap<>(txn) : changed;
                changed.put(branch, rewritten);
            }
        }
        return changed == null ? txn : changed;
    }

    /** @return whether the transaction can only read */
    static boolean isReadOnly(Map<?, ?> txn) {
        return branchReadOnly(txn.get(THEN)) && branchReadOnly(txn.get(ELSE));
    }

    /** @return {@code null} if the transaction is well formed, else what is wrong */
    static String problemWith(Object value) {
        if (!(value instanceof Map)) {
            return ":txn needs {:compare [target op operand] :then [...] :else [...]}, got " + EdnWriter.write(value);
        }
        Map<?, ?> txn = (Map<?, ?>) value;
        List<?> compare = EdnValues.tuple(txn.get(COMPARE), 3);
        if (compare == null || !isOneOf(compare.get(0), "version", "value")
                || !isOneOf(compare.get(1), "=", "not=", "<", ">")) {
            return ":compare must be [:version|:value := | :not= | :< | :> operand], got "
                    + EdnWriter.write(txn.get(COMPARE));
        }
        if (isOneOf(compare.get(0), "version") && !(compare.get(2) instanceof Long)) {
            return "a :version compare needs an integer operand, got " + EdnWriter.write(compare.get(2));
        }
        Object succeeded = txn.get(SUCCEEDED);
        if (succeeded != null && !(succeeded instanceof Boolean)) {
            return ":succeeded must be true, false or absent, got " + EdnWriter.write(succeeded);
        }
        String problem = branchProblem(txn.get(THEN));
        return problem != null ? problem : branchProblem(txn.get(ELSE));
    }

    private static boolean compare(KvState state, List<?> compare) {
        String target = ((Keyword) compare.get(0)).name();
        String op = ((Keyword) compare.get(1)).name();
        Object operand = compare.get(2);
        if (target.equals("version")) {
            return holds(op, Long.compare(state.version(), (Long) operand));
        }
        if (!state.exists()) {
            return false;
        }
        if (op.equals("=") || op.equals("not=")) {
            return state.value().equals(operand) == op.equals("=");
        }
        Integer order = order(state.value(), operand);
        return order != null && holds(op, order);
    }

    private static boolean holds(String op, int order) {
        switch (op) {
            case "=": return order == 0;
            case "not=": return order != 0;
            case "<": return order < 0;
            default: return order > 0;
        }
    }

    @SuppressWarnings("unchecked")
    private static Integer order(Object a, Object b) {
        if (a instanceof Long && b instanceof Long || a instanceof String && b instanceof String) {
            return ((Comparable<Object>) a).compareTo(b);
        }
        return null; // values of different kinds are unordered: the comparison is false
    }

    private static KvState applyStep(KvState state, List<?> step) {
        switch (((Keyword) step.get(0)).name()) {
            case "put":
                return state.put(step.get(1));
            case "delete":
                return KvState.ABSENT;
            default:
                return step.size() == 1 || KvKeyModel.observes(state, step.get(1)) ? state : null;
        }
    }

    private static boolean branchReadOnly(Object branch) {
        if (branch == null) {
            return true;
        }
        for (Object item : (List<?>) branch) {
            if (!isOneOf(((List<?>) item).get(0), "get")) {
                return false;
            }
        }
        return true;
    }

    private static String branchProblem(Object branch) {
        if (branch == null) {
            return null;
        }
        if (!(branch instanceof List)) {
            return ":then and :else must be vectors of steps, got " + EdnWriter.write(branch);
        }
        for (Object item : (List<?>) branch) {
            if (!(item instanceof List) || ((List<?>) item).isEmpty()) {
                return "a txn step must be [:put v], [:delete] or [:get v], got " + EdnWriter.write(item);
            }
            List<?> step = (List<?>) item;
            boolean ok = isOneOf(step.get(0), "put") && step.size() == 2 && step.get(1) != null
                    || isOneOf(step.get(0), "delete") && step.size() == 1
                    || isOneOf(step.get(0), "get") && step.size() <= 2;
            if (!ok) {
                return "a txn step must be [:put v], [:delete] or [:get v], got " + EdnWriter.write(item);
            }
        }
        return null;
    }

    private static boolean isOneOf(Object keyword, String... names) {
        if (!(keyword instanceof Keyword)) {
            return false;
        }
        for (String name : names) {
            if (((Keyword) keyword).name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
