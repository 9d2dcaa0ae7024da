package dev.keel.linearizability.history;

import dev.keel.linearizability.edn.EdnValues;
import dev.keel.linearizability.edn.EdnWriter;
import java.util.Objects;

/**
 * One client operation: its invocation and how (and whether) it completed. Immutable.
 *
 * <p>Times are logical: only their order matters. Histories read from EDN use each event's position in the file
 * (or its {@code :index}). An operation whose invocation and completion times overlap another's is concurrent
 * with it; an operation that completes strictly before another is invoked must be linearized first. At equal
 * times a completion is treated as coming after an invocation, which makes the two operations concurrent.
 *
 * @see History.Builder
 */
public final class Operation {
    /** The completion time of an operation that never completed. */
    public static final long NEVER = Long.MAX_VALUE;

    private final long process;
    private final String f;
    private final Object input;
    private final Object output;
    private final OpType type;
    private final long invokeTime;
    private final long completeTime;
    private final Object error;

    /**
     * @param process      the client process (Jepsen's {@code :process}); one process runs one operation at a time
     * @param f            the function, e.g. {@code "read"}, {@code "cas"} (Jepsen's {@code :f} without colon)
     * @param input        the invocation's {@code :value}; Java integers of any width count as EDN integers
     * @param output       the completion's {@code :value}; {@code null} for pending operations
     * @param type         how it completed; a pending operation (no completion) is {@link OpType#INFO}
     * @param invokeTime   logical invocation time
     * @param completeTime logical completion time, or {@link #NEVER} if no completion was recorded
     * @param error        the completion's {@code :error}, or {@code null}
     * @throws IllegalArgumentException if {@code f} or {@code type} is missing or the times are out of order
     */
    public Operation(long process, String f, Object input, Object output, OpType type, long invokeTime,
            long completeTime, Object error) {
        if (f == null || f.isEmpty()) {
            throw new IllegalArgumentException("an operation needs a function (:f)");
        }
        if (type == null) {
            throw new IllegalArgumentException("an operation needs a type (ok, fail or info)");
        }
        if (completeTime < invokeTime) {
            throw new IllegalArgumentException("operation " + f + " of process " + process
                    + " completes (" + completeTime + ") before it is invoked (" + invokeTime + ")");
        }
        if (completeTime == NEVER && type != OpType.INFO) {
            throw new IllegalArgumentException("operation " + f + " of process " + process
                    + " has no completion, so it can only be indeterminate (info), not " + type.jepsenName());
        }
        this.process = process;
        this.f = f;
        this.input = EdnValues.normalize(input);
        this.output = EdnValues.normalize(output);
        this.type = type;
        this.invokeTime = invokeTime;
        this.completeTime = completeTime;
        this.error = error;
    }

    /** @return the process that ran it */
    public long process() {
        return process;
    }

    /** @return the function name, e.g. {@code "write"} */
    public String f() {
        return f;
    }

    /** @return the invocation's value */
    public Object input() {
        return input;
    }

    /** @return the completion's value ({@code null} when there was no completion) */
    public Object output() {
        return output;
    }

    /**
     * The value models judge, as Knossos does: the completion's value for an {@code ok} operation (a read's
     * result), the invocation's value otherwise (an indeterminate operation has no trustworthy result).
     */
    public Object value() {
        return type == OpType.OK ? output : input;
    }

    /** @return how it completed */
    public OpType type() {
        return type;
    }

    /** @return the logical invocation time */
    public long invokeTime() {
        return invokeTime;
    }

    /** @return the logical completion time, or {@link #NEVER} */
    public long completeTime() {
        return completeTime;
    }

    /** @return whether a completion event was recorded (an {@code info} event counts) */
    public boolean completed() {
        return completeTime != NEVER;
    }

    /** @return the completion's {@code :error}, or {@code null} */
    public Object error() {
        return error;
    }

    /** @return a copy with other values, the same everything else (used to split keyed histories) */
    public Operation withValues(Object newInput, Object newOutput) {
        return new Operation(process, f, newInput, newOutput, type, invokeTime, completeTime, error);
    }

    /** @return a copy with other times, the same everything else */
    public Operation withTimes(long newInvokeTime, long newCompleteTime) {
        return new Operation(process, f, input, output, type, newInvokeTime, newCompleteTime, error);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Operation)) {
            return false;
        }
        Operation other = (Operation) o;
        return process == other.process && invokeTime == other.invokeTime && completeTime == other.completeTime
                && type == other.type && f.equals(other.f) && Objects.equals(input, other.input)
                && Objects.equals(output, other.output) && Objects.equals(error, other.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(process, f, input, output, type, invokeTime, completeTime);
    }

    /** @return a short readable form, e.g. {@code p3 :cas [1 2] → ok [1 2] @[4,9]} */
    @Override
    public String toString() {
        String result = completed() ? type.jepsenName() + " " + EdnWriter.write(output) : "pending";
        String end = completed() ? Long.toString(completeTime) : "∞";
        return "p" + process + " :" + f + " " + EdnWriter.write(input) + " → " + result
                + " @[" + invokeTime + "," + end + "]";
    }
}
