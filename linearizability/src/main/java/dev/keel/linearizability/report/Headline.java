package dev.keel.linearizability.report;

import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.edn.Keyword;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.model.KvKeyModel;
import dev.keel.linearizability.search.Counterexample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one plain sentence at the top of a report: what went wrong, computed from the history. It names a stale or
 * impossible read ("get of key 17 by process 3 returned 14, a value overwritten by 4,802 operations that completed
 * before it began"), a cas or acquire that succeeded against the state, and otherwise says honestly that no order
 * of the concurrent operations explains the failure, with the states the checker could justify.
 */
public final class Headline {
    private static final Keyword VALUE = Keyword.of("value");
    private static final Keyword THEN = Keyword.of("then");
    private static final Keyword ELSE = Keyword.of("else");
    private static final Keyword SUCCEEDED = Keyword.of("succeeded");
    private static final KvKeyModel KV = new KvKeyModel(null);

    private Headline() {
    }

    /**
     * @param c         the failure
     * @param modelName the model's name: {@code register}, {@code cas-register}, {@code mutex},
     *                  {@code multi-register}, {@code kv}, or {@code independent <model>}
     * @return one sentence, ending with a full stop
     */
    public static String of(Counterexample c, String modelName) {
        String model = modelName.startsWith("independent ") ? modelName.substring("independent ".length())
                : modelName;
        List<Operation> ops = c.part().operations();
        List<Operation> suspects = new ArrayList<>();
        suspects.add(c.blocked());
        for (Operation op : c.window()) {
            if (op != c.blocked() && op.type() == OpType.OK) {
                suspects.add(op);
            }
        }
        String where = c.key() == null ? "" : " of key " + EdnWriter.write(c.key());
        for (Operation op : suspects) {
            String sentence = explain(model, op, ops, where, c);
            if (sentence != null) {
                return sentence + ".";
            }
        }
        return fallback(c, where) + ".";
    }

    private static String explain(String model, Operation op, List<Operation> ops, String where, Counterexample c) {
        switch (model) {
            case "register":
            case "cas-register":
                return register(op, ops, where, c);
            case "kv":
                return kv(op, ops, where, c);
            case "multi-register":
                return multiRegister(op, ops);
            case "mutex":
                return MutexStory.explain(op, ops, where);
            default:
                return null;
        }
    }

    private static String register(Operation op, List<Operation> ops, String where, Counterexample c) {
        CellHistory cell = new CellHistory(ops, Headline::registerWrite, false);
        if (op.f().equals("read") && op.value() != null) {
            return cell.explain(op, op.value(), "read" + where + " by process " + op.process(),
                    EdnWriter.write(op.value()));
        }
        if (op.f().equals("cas") && op.type() == OpType.OK) {
            List<?> cas = (List<?>) op.value();
            String what = describe(op) + where;
            String stale = cell.explain(op, cas.get(0), what + " succeeded, but it", EdnWriter.write(cas.get(0)));
            if (stale != null) {
                return stale.replace(" succeeded, but it returned ", " succeeded, but it expected ");
            }
            return what + " succeeded although, after the " + completed(c.completedLinearized())
                    + " the checker could order before it, the register could only hold "
                    + String.join(" or ", c.states());
        }
        return null;
    }

    private static Object registerWrite(Operation op) {
        switch (op.f()) {
            case "write":
                return op.value();
            case "cas":
                return ((List<?>) op.value()).get(1);
            default:
                return CellHistory.NO_WRITE;
        }
    }

    private static String kv(Operation op, List<Operation> ops, String where, Counterexample c) {
        CellHistory cell = new CellHistory(ops, Headline::kvWrite, true);
        Object observed;
        String what;
        if (op.f().equals("get")) {
            Object result = op.value();
            if (result instanceof Map) {
                if (!((Map<?, ?>) result).containsKey(VALUE)) {
                    return null; // only the version was observed: not a value story
                }
                result = ((Map<?, ?>) result).get(VALUE);
            }
            observed = result;
            what = "get" + where + " by process " + op.process();
        } else if (op.f().equals("cas") && op.type() == OpType.OK) {
            observed = ((List<?>) op.value()).get(0);
            what = describe(op) + where + " succeeded, but it";
        } else {
            return null;
        }
        String shown = observed == null ? "nil (the key absent)" : EdnWriter.write(observed);
        String sentence = cell.explain(op, observed, what, shown);
        return sentence == null || !op.f().equals("cas") ? sentence
                : sentence.replace(" succeeded, but it returned ", " succeeded, but it expected ");
    }

    private static Object kvWrite(Operation op) {
        switch (op.f()) {
            case "put":
                return op.value();
            case "delete":
                return null;
            case "cas":
                return ((List<?>) op.value()).get(1);
            case "txn":
                return KV.isReadOnly(op) ? CellHistory.NO_WRITE : txnWrite((Map<?, ?>) op.value(), op.type());
            default:
                return CellHistory.NO_WRITE;
        }
    }

    /**
     * A completed transaction says which branch it took, so its write is known; one that timed out may have
     * taken either branch.
     */
    private static Object txnWrite(Map<?, ?> txn, OpType type) {
        if (type == OpType.OK && txn.get(SUCCEEDED) instanceof Boolean) {
            return branchWrite(txn.get(Boolean.TRUE.equals(txn.get(SUCCEEDED)) ? THEN : ELSE));
        }
        java.util.Set<Object> possible = new java.util.HashSet<>();
        for (Keyword branch : List.of(THEN, ELSE)) {
            Object write = branchWrite(txn.get(branch));
            if (write != CellHistory.NO_WRITE) {
                possible.add(write);
            }
        }
        return new CellHistory.Possible(possible);
    }

    /** @return the value a branch's steps leave ({@code null}: deleted), or {@link CellHistory#NO_WRITE} */
    private static Object branchWrite(Object steps) {
        Object value = CellHistory.NO_WRITE;
        if (steps instanceof List) {
            for (Object item : (List<?>) steps) {
                List<?> step = (List<?>) item;
                String f = ((Keyword) step.get(0)).name();
                if (f.equals("put")) {
                    value = step.get(1);
                } else if (f.equals("delete")) {
                    value = null;
                }
            }
        }
        return value;
    }

    /** A transaction's reads, each against the writes other transactions made to that register. */
    private static String multiRegister(Operation op, List<Operation> ops) {
        if (!op.f().equals("txn") || !(op.value() instanceof List)) {
            return null;
        }
        List<Object> writtenHere = new ArrayList<>();
        for (Object item : (List<?>) op.value()) {
            List<?> micro = (List<?>) item;
            String f = ((Keyword) micro.get(0)).name();
            Object register = micro.get(1);
            if (f.startsWith("w")) {
                writtenHere.add(register);
            } else if (micro.get(2) != null && !writtenHere.contains(register)) {
                CellHistory cell = new CellHistory(ops, other -> lastWrite(other, register), false);
                String sentence = cell.explain(op, micro.get(2), "the read of " + EdnWriter.write(register)
                        + " in txn by process " + op.process(), EdnWriter.write(micro.get(2)));
                if (sentence != null) {
                    return sentence.replaceFirst("^the read", "The read");
                }
            }
        }
        return null;
    }

    private static Object lastWrite(Operation op, Object register) {
        Object value = CellHistory.NO_WRITE;
        if (op.value() instanceof List) {
            for (Object item : (List<?>) op.value()) {
                List<?> micro = (List<?>) item;
                if (((Keyword) micro.get(0)).name().startsWith("w") && micro.get(1).equals(register)) {
                    value = micro.get(2);
                }
            }
        }
        return value;
    }

    private static String fallback(Counterexample c, String where) {
        Operation blocked = c.blocked();
        String result = blocked.completed() && blocked.type() == OpType.OK
                ? " and its result " + shorten(EdnWriter.write(blocked.output())) : "";
        return String.format(Locale.ROOT, "No order of the %s concurrent operation%s around %s%s (invoked at %d)"
                + " explains it%s: after the %s the checker could order before it, the model"
                + " could only be in %s", count(c.window().size()), c.window().size() == 1 ? "" : "s",
                describe(blocked).replace(" by process", where + " by process"), "", blocked.invokeTime(), result, completed(c.completedLinearized()),
                c.states().isEmpty() ? "no state" : shorten(String.join(" or ", c.states())));
    }

    /** @return an operation as a sentence names it, e.g. {@code put 15 by process 2} or {@code cas 3->4 by ...} */
    static String describe(Operation op) {
        Object value = op.value();
        String what;
        if (op.f().equals("cas") && value instanceof List && ((List<?>) value).size() == 2) {
            List<?> cas = (List<?>) value;
            what = "cas " + EdnWriter.write(cas.get(0)) + "->" + EdnWriter.write(cas.get(1));
        } else if (op.f().equals("read") || op.f().equals("get") || op.f().equals("acquire")
                || op.f().equals("release") || op.f().equals("delete") || value == null) {
            what = op.f();
        } else {
            what = op.f() + " " + shorten(EdnWriter.write(value));
        }
        return what + (op.type() == OpType.INFO ? " (timed out)" : "") + " by process " + op.process();
    }

    private static String completed(int n) {
        return count(n) + (n == 1 ? " completed operation" : " completed operations");
    }

    private static String count(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
