package dev.keel.linearizability.report;

import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One cell's writes over a history (a register, one kv key, one register of a multi-register), for explaining a
 * read in plain words: was the value it returned ever written, written only later, or overwritten before the read
 * began? Returns {@code null} whenever the simple explanations do not hold, so callers fall back to honest, more
 * general wording instead of a misleading one.
 */
final class CellHistory {
    /** The operation writes nothing to the cell. */
    static final Object NO_WRITE = new Object();

    /**
     * The operation wrote one of these values, or nothing, without saying which (a transaction that timed out).
     *
     * @param values the values it may have written ({@code null}: deleted)
     */
    record Possible(java.util.Set<Object> values) {
    }

    private final List<Operation> ops;
    private final Function<Operation, Object> written;
    private final boolean startsWithNil;

    /**
     * @param ops           the history's operations (failed ones are ignored)
     * @param written       the value an operation leaves in the cell, or {@link #NO_WRITE} or {@link Possible}
     * @param startsWithNil whether the cell is known to start as {@code nil} (a kv key starts absent)
     */
    CellHistory(List<Operation> ops, Function<Operation, Object> written, boolean startsWithNil) {
        this.ops = ops;
        this.written = written;
        this.startsWithNil = startsWithNil;
    }

    /**
     * @param reader   the operation that observed the cell
     * @param observed what it observed
     * @param what     how to name the reader in the sentence, e.g. {@code get of key 17 by process 3}
     * @param shown    the observed value as the sentence should show it
     * @return one sentence, or {@code null} if no simple explanation holds
     */
    String explain(Operation reader, Object observed, String what, String shown) {
        Operation firstWriter = null;
        long lastWritten = startsWithNil && observed == null ? Long.MIN_VALUE : Long.MAX_VALUE;
        for (Operation op : ops) {
            Object value = op == reader || op.type() == OpType.FAIL ? NO_WRITE : written.apply(op);
            if (value instanceof Possible) {
                value = ((Possible) value).values().contains(observed) ? observed : NO_WRITE;
            }
            if (value != NO_WRITE && Objects.equals(value, observed)) {
                if (op.type() == OpType.INFO || op.completeTime() >= reader.invokeTime()) {
                    if (op.invokeTime() <= reader.completeTime()) {
                        return null; // a write of the value may well be the current one: nothing simple to say
                    }
                } else {
                    lastWritten = lastWritten == Long.MAX_VALUE ? op.completeTime()
                            : Math.max(lastWritten, op.completeTime());
                }
                if (firstWriter == null || op.invokeTime() < firstWriter.invokeTime()) {
                    firstWriter = op;
                }
            }
        }
        if (lastWritten == Long.MAX_VALUE) {
            return firstWriter == null ? neverWritten(reader, what, shown)
                    : what + " returned " + shown + ", a value written only by " + Headline.describe(firstWriter)
                            + ", invoked at " + firstWriter.invokeTime() + ", after the read completed at "
                            + reader.completeTime();
        }
        return overwritten(reader, observed, lastWritten, what, shown);
    }

    /**
     * A value no operation wrote can still be the initial value, which only a kv key's start (absent) tells; for
     * the others say so, and stay silent unless the value was certainly overwritten since.
     */
    private String neverWritten(Operation reader, String what, String shown) {
        if (startsWithNil) {
            return what + " returned " + shown + ", a value no operation wrote";
        }
        String initially = overwritten(reader, CellHistory.NO_WRITE, Long.MIN_VALUE, "", "");
        return initially == null ? null : what + " returned " + shown + ", a value no operation wrote: unless it"
                + " was the initial value," + initially.replaceFirst("^ returned , a value", "");
    }

    private String overwritten(Operation reader, Object observed, long lastWritten, String what, String shown) {
        int count = 0;
        Operation last = null;
        for (Operation op : ops) {
            if (op == reader || op.type() != OpType.OK || op.invokeTime() <= lastWritten
                    || op.completeTime() >= reader.invokeTime()) {
                continue;
            }
            Object value = written.apply(op);
            if (value != NO_WRITE && !(value instanceof Possible)
                    && !Objects.equals(value, observed)) {
                count++;
                if (last == null || op.completeTime() > last.completeTime()) {
                    last = op;
                }
            }
        }
        if (last == null) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "%s returned %s, a value overwritten by %,d operation%s that"
                + " completed before it began (the last, %s, completed at %d)", what, shown, count,
                count == 1 ? "" : "s", Headline.describe(last), last.completeTime());
    }
}
