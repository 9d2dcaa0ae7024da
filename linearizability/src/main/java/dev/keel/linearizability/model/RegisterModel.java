package dev.keel.linearizability.model;

import dev.keel.linearizability.edn.EdnValues;
import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.history.Operation;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Knossos' {@code register} and {@code cas-register}: a single value with {@code :read} (value read, or
 * {@code nil} for an unknown result), {@code :write} (value written) and, for the cas-register,
 * {@code :cas [expected new]}, which happens only if the register holds {@code expected}. As in Knossos, a read
 * of {@code nil} matches any state.
 */
public final class RegisterModel implements Model<Object> {
    /** Stands for the value {@code nil}, since {@code null} means "inconsistent" to the checker. */
    private enum Nil { NIL }

    private final String name;
    private final boolean allowsCas;
    private final Object initial;

    private RegisterModel(String name, boolean allowsCas, Object initial) {
        this.name = name;
        this.allowsCas = allowsCas;
        this.initial = wrap(EdnValues.normalize(initial));
    }

    /** @return Knossos' {@code (register initial)}: read and write */
    public static RegisterModel register(Object initial) {
        return new RegisterModel("register", false, initial);
    }

    /** @return Knossos' {@code (cas-register initial)}: read, write and cas */
    public static RegisterModel casRegister(Object initial) {
        return new RegisterModel("cas-register", true, initial);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Object initialState() {
        return initial;
    }

    @Override
    public Object step(Object state, Operation op) {
        Object value = op.value();
        switch (op.f()) {
            case "read":
                return value == null || Objects.equals(wrap(value), state) ? state : null;
            case "write":
                return wrap(value);
            case "cas":
                List<?> cas = (List<?>) value;
                return Objects.equals(wrap(cas.get(0)), state) ? wrap(cas.get(1)) : null;
            default:
                throw new IllegalStateException("unchecked operation " + op);
        }
    }

    @Override
    public String problemWith(Operation op) {
        switch (op.f()) {
            case "read":
            case "write":
                return null;
            case "cas":
                if (!allowsCas) {
                    return "a register has no :cas; use the cas-register model";
                }
                return EdnValues.tuple(op.input(), 2) == null || EdnValues.tuple(op.value(), 2) == null
                        ? ":cas needs the value [expected new], got " + EdnWriter.write(op.value()) : null;
            default:
                return name + " knows :read, :write" + (allowsCas ? " and :cas" : "") + ", not :" + op.f();
        }
    }

    @Override
    public void observedValues(Operation op, Consumer<Object> observed) {
        if (op.f().equals("read") && op.value() != null) {
            observed.accept(op.value());
        } else if (op.f().equals("cas")) {
            observed.accept(((List<?>) op.value()).get(0));
        }
    }

    @Override
    public Operation forgetUnobserved(Operation op, Predicate<Object> isObserved) {
        if (op.f().equals("write") && !isObserved.test(op.value())) {
            return op.withValues(UNOBSERVED, UNOBSERVED);
        }
        if (op.f().equals("cas") && !isObserved.test(((List<?>) op.value()).get(1))) {
            Object expected = ((List<?>) op.value()).get(0);
            List<Object> forgotten = Arrays.asList(expected, UNOBSERVED);
            return op.withValues(forgotten, forgotten);
        }
        return op;
    }

    @Override
    public boolean isReadOnly(Operation op) {
        return op.f().equals("read");
    }

    @Override
    public int hash(Object state) {
        return state == Nil.NIL ? 0 : state.hashCode();
    }

    @Override
    public String describe(Object state) {
        return EdnWriter.write(state == Nil.NIL ? null : state);
    }

    private static Object wrap(Object value) {
        return value == null ? Nil.NIL : value;
    }
}
