package dev.keel.linearizability.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable client history: operations ordered by invocation time. Build one from events with
 * {@link #builder()} (the way a simulator records a run), from finished operations with {@link #of(List)}, or
 * read one from Jepsen EDN with {@link JepsenEdn#read(String)}.
 */
public final class History {
    private static final Comparator<Operation> BY_INVOCATION = Comparator.comparingLong(Operation::invokeTime)
            .thenComparingLong(Operation::process);

    private final List<Operation> operations;

    private History(List<Operation> operations) {
        this.operations = operations;
    }

    /**
     * @param operations operations in any order; they are sorted by invocation time
     * @return the history of those operations
     */
    public static History of(List<Operation> operations) {
        List<Operation> sorted = new ArrayList<>(operations);
        sorted.sort(BY_INVOCATION);
        return new History(List.copyOf(sorted));
    }

    /** @return a builder that records invocation and completion events as they happen */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the operations, ordered by invocation time */
    public List<Operation> operations() {
        return operations;
    }

    /** @return the number of operations */
    public int size() {
        return operations.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof History && operations.equals(((History) o).operations);
    }

    @Override
    public int hashCode() {
        return operations.hashCode();
    }

    @Override
    public String toString() {
        return "History" + operations;
    }

    /**
     * Records a history event by event, as Jepsen does: each process invokes an operation, then completes it with
     * {@code ok}, {@code fail} or {@code info}. Invocations still open at {@link #build()} become indeterminate.
     * Each event gets the next logical time unless {@link #at(long)} sets one.
     *
     * <pre>{@code
     * History h = History.builder()
     *     .invoke(0, "write", 1).invoke(1, "read", null)
     *     .ok(0).ok(1, 1)
     *     .build();
     * }</pre>
     */
    public static final class Builder {
        private final List<Operation> done = new ArrayList<>();
        private final Map<Long, Operation> open = new HashMap<>();
        private long lastTime = -1;
        private Long nextTime;

        private Builder() {
        }

        /**
         * Sets the time of the next event; later events without {@code at} continue from it.
         *
         * @throws IllegalArgumentException if time goes backwards
         */
        public Builder at(long time) {
            if (time < lastTime) {
                throw new IllegalArgumentException("time " + time + " is before the previous event's " + lastTime);
            }
            nextTime = time;
            return this;
        }

        /**
         * Records an invocation.
         *
         * @throws IllegalStateException if the process already has an operation open
         */
        public Builder invoke(long process, String f, Object value) {
            Operation previous = open.get(process);
            if (previous != null) {
                throw new IllegalStateException("process " + process + " invokes :" + f
                        + " while its :" + previous.f() + " invoked at " + previous.invokeTime()
                        + " has not completed; a process runs one operation at a time");
            }
            open.put(process, new Operation(process, f, value, null, OpType.INFO, tick(), Operation.NEVER, null));
            return this;
        }

        /** Completes the process's open operation successfully with the invocation's value as result. */
        public Builder ok(long process) {
            return complete(process, OpType.OK, pending(process, OpType.OK).input(), null);
        }

        /** Completes the process's open operation successfully with {@code value} as its result. */
        public Builder ok(long process, Object value) {
            return complete(process, OpType.OK, value, null);
        }

        /** Records that the process's open operation certainly did not happen. */
        public Builder fail(long process) {
            return complete(process, OpType.FAIL, pending(process, OpType.FAIL).input(), null);
        }

        /** Records that the process's open operation may or may not have happened. */
        public Builder info(long process) {
            return complete(process, OpType.INFO, pending(process, OpType.INFO).input(), null);
        }

        /**
         * Completes the process's open operation.
         *
         * @param type  how it completed
         * @param value the completion's value
         * @param error the completion's error, or {@code null}
         * @throws IllegalStateException if the process has no open operation
         */
        public Builder complete(long process, OpType type, Object value, Object error) {
            Operation invoked = pending(process, type);
            open.remove(process);
            done.add(new Operation(process, invoked.f(), invoked.input(), value, type, invoked.invokeTime(), tick(),
                    error));
            return this;
        }

        /** @return the history; operations still open become indeterminate with no completion */
        public History build() {
            List<Operation> all = new ArrayList<>(done);
            all.addAll(open.values());
            return History.of(all);
        }

        private Operation pending(long process, OpType type) {
            Operation invoked = open.get(process);
            if (invoked == null) {
                throw new IllegalStateException("process " + process + " completes (" + type.jepsenName()
                        + ") but has no operation open");
            }
            return invoked;
        }

        private long tick() {
            long time = nextTime != null ? nextTime : lastTime + 1;
            nextTime = null;
            lastTime = time;
            return time;
        }
    }
}
