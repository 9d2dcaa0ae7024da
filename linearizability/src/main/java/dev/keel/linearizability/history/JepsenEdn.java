package dev.keel.linearizability.history;

import dev.keel.linearizability.edn.EdnReader;
import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.edn.Keyword;
import dev.keel.linearizability.edn.Located;
import dev.keel.linearizability.edn.Symbol;
import dev.keel.linearizability.edn.Tagged;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Jepsen's EDN history format, read and written.
 *
 * <p>Reading accepts what Jepsen and Knossos write: either one vector of operation maps or one map per line;
 * maps may also be printed as records ({@code #jepsen.history.Op{...}}). Each map has {@code :process} (an
 * integer; a keyword such as {@code :nemesis} marks an operation the checker ignores), {@code :type}
 * ({@code :invoke}, {@code :ok}, {@code :fail} or {@code :info}), {@code :f} and optionally {@code :value},
 * {@code :index}, {@code :time} and {@code :error}. Invocations and completions are paired by process. An
 * operation's time is its {@code :index} when present, else its position in the file.
 */
public final class JepsenEdn {
    private static final Keyword PROCESS = Keyword.of("process");
    private static final Keyword TYPE = Keyword.of("type");
    private static final Keyword F = Keyword.of("f");
    private static final Keyword VALUE = Keyword.of("value");
    private static final Keyword INDEX = Keyword.of("index");
    private static final Keyword ERROR = Keyword.of("error");

    private JepsenEdn() {
    }

    /**
     * @param text the EDN text of a history
     * @return the client operations of the history (nemesis operations dropped)
     * @throws dev.keel.linearizability.edn.EdnException if the text is not EDN
     * @throws InvalidHistoryException if it is EDN but not a well-formed history
     */
    public static History read(String text) {
        return readSource(text).history();
    }

    /**
     * Like {@link #read(String)}, but also says how many events were read and ignored and where each event
     * stands in the file, for tools that report on the input.
     *
     * @throws dev.keel.linearizability.edn.EdnException if the text is not EDN
     * @throws InvalidHistoryException if it is EDN but not a well-formed history
     */
    public static HistorySource readSource(String text) {
        Pairing pairing = new Pairing();
        EdnReader.readSequence(text, pairing::accept);
        return pairing.source();
    }

    /**
     * Like {@link #readSource(String)}, reading from {@code in} as it goes, so the text of a big history is never
     * held whole; only the operations are.
     *
     * @throws dev.keel.linearizability.edn.EdnException if the text is not EDN
     * @throws InvalidHistoryException if it is EDN but not a well-formed history
     * @throws java.io.UncheckedIOException if reading fails
     */
    public static HistorySource readSource(Reader in) {
        return readSource(in, events -> { });
    }

    /**
     * Like {@link #readSource(Reader)}, telling {@code eventsRead} the number of events read so far after each
     * one, for progress reports on big files.
     */
    public static HistorySource readSource(Reader in, IntConsumer eventsRead) {
        Pairing pairing = new Pairing();
        EdnReader.readSequence(in, event -> {
            pairing.accept(event);
            eventsRead.accept(pairing.position);
        });
        return pairing.source();
    }

    private static HistorySource sourceOf(Pairing pairing) {
        return new HistorySource(pairing.history(), pairing.position, pairing.ignored, pairing.times,
                pairing.lines);
    }

    /**
     * Writes a history as a vector of operation maps, one per line, in time order. {@code :index} carries each
     * event's time when the times are distinct (so reading the text back gives an equal history), else its
     * position.
     */
    public static String write(History history) {
        List<Event> events = new ArrayList<>();
        for (Operation op : history.operations()) {
            events.add(new Event(op.invokeTime(), true, op));
            if (op.completed()) {
                events.add(new Event(op.completeTime(), false, op));
            }
        }
        // At equal times an invocation goes first, which keeps the two operations concurrent when read back.
        events.sort(Comparator.comparingLong(Event::time).thenComparing(e -> !e.invocation));
        boolean distinctTimes = true;
        for (int i = 1; i < events.size(); i++) {
            distinctTimes &= events.get(i).time > events.get(i - 1).time;
        }
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            out.append(i == 0 ? "" : "\n ");
            EdnWriter.write(e.toMap(distinctTimes && e.time >= 0 ? e.time : i), out);
        }
        return out.append("]\n").toString();
    }

    /** Pairs invocations with completions by process, one event at a time, as the reader hands them over. */
    private static final class Pairing {
        private final Map<Long, Open> open = new HashMap<>();
        private final List<Operation> operations = new ArrayList<>();
        private long previousTime = -1;
        private int position;
        private int ignored;
        private long[] times = new long[64];
        private int[] lines = new int[64];

        void accept(Located event) {
            Map<?, ?> map = asMap(event);
            long time = timeOf(map, position++, event);
            if (time <= previousTime) {
                throw invalid(event, ":index " + time + " does not increase (the previous event had "
                        + previousTime + "); events must be in the order they happened");
            }
            previousTime = time;
            remember(time, event.line());
            Object process = map.get(PROCESS);
            if (!(process instanceof Long)) {
                if (process == null) {
                    throw invalid(event, "the operation has no :process");
                }
                ignored++;
                return; // :nemesis and other named processes are not clients; Knossos ignores them too
            }
            pair(event, map, (Long) process, time, open, operations);
        }

        /** Records where the event of each time starts, so problems found later can name the line. */
        private void remember(long time, int line) {
            int i = position - 1;
            if (i == times.length) {
                times = Arrays.copyOf(times, 2 * i);
                lines = Arrays.copyOf(lines, 2 * i);
            }
            times[i] = time;
            lines[i] = line;
        }

        HistorySource source() {
            return sourceOf(this);
        }

        History history() {
            List<Operation> all = new ArrayList<>(operations);
            for (Open pending : open.values()) {
                all.add(pending.operation);
            }
            return History.of(all);
        }
    }

    private static void pair(Located event, Map<?, ?> map, long process, long time, Map<Long, Open> open,
            List<Operation> into) {
        String type = keywordName(map.get(TYPE), event, ":type");
        String f = functionName(map.get(F), event);
        Open invoked = open.get(process);
        if (type.equals("invoke")) {
            if (invoked != null) {
                throw invalid(event, "process " + process + " invokes :" + f + " while its :" + invoked.operation.f()
                        + " invoked at " + invoked.where + " has not completed");
            }
            Operation op = new Operation(process, f, map.get(VALUE), null, OpType.INFO, time, Operation.NEVER, null);
            open.put(process, new Open(op, event.where()));
            return;
        }
        OpType completion = completionType(type, event);
        if (invoked == null) {
            throw invalid(event, "process " + process + " completes :" + f + " (" + type
                    + ") but has no invocation open");
        }
        if (!invoked.operation.f().equals(f)) {
            throw invalid(event, "process " + process + " completes :" + f + " but invoked :" + invoked.operation.f()
                    + " at " + invoked.where);
        }
        open.remove(process);
        Object input = invoked.operation.input();
        Object output = map.containsKey(VALUE) ? map.get(VALUE) : input;
        into.add(new Operation(process, f, input, output, completion, invoked.operation.invokeTime(), time,
                map.get(ERROR)));
    }

    private static OpType completionType(String type, Located event) {
        switch (type) {
            case "ok": return OpType.OK;
            case "fail": return OpType.FAIL;
            case "info": return OpType.INFO;
            default: throw invalid(event, ":type must be :invoke, :ok, :fail or :info, not :" + type);
        }
    }

    private static Map<?, ?> asMap(Located event) {
        Object value = event.value();
        if (value instanceof Tagged) {
            value = ((Tagged) value).value(); // a record such as #jepsen.history.Op{...} is a map with a tag
        }
        if (!(value instanceof Map)) {
            throw invalid(event, "expected an operation map such as {:process 0, :type :invoke, :f :read}, found "
                    + EdnWriter.write(value));
        }
        return (Map<?, ?>) value;
    }

    private static long timeOf(Map<?, ?> map, int position, Located event) {
        Object index = map.get(INDEX);
        if (index == null) {
            return position;
        }
        if (!(index instanceof Long) || (Long) index < 0) {
            throw invalid(event, ":index must be a non-negative integer, not " + EdnWriter.write(index));
        }
        return (Long) index;
    }

    private static String keywordName(Object value, Located event, String field) {
        if (value instanceof Keyword) {
            return ((Keyword) value).name();
        }
        throw invalid(event, field + " must be a keyword, not " + EdnWriter.write(value));
    }

    private static String functionName(Object f, Located event) {
        if (f instanceof Keyword) {
            return ((Keyword) f).name();
        }
        if (f instanceof String || f instanceof Symbol) {
            return f.toString();
        }
        throw invalid(event, f == null ? "the operation has no :f" : ":f must be a keyword, not " + EdnWriter.write(f));
    }

    private static InvalidHistoryException invalid(Located event, String problem) {
        return new InvalidHistoryException(event.where() + ": " + problem);
    }

    private static final class Open {
        final Operation operation;
        final String where;

        Open(Operation operation, String where) {
            this.operation = operation;
            this.where = where;
        }
    }

    private static final class Event {
        final long time;
        final boolean invocation;
        final Operation op;

        Event(long time, boolean invocation, Operation op) {
            this.time = time;
            this.invocation = invocation;
            this.op = op;
        }

        long time() {
            return time;
        }

        Map<Object, Object> toMap(long index) {
            Map<Object, Object> map = new LinkedHashMap<>();
            map.put(INDEX, index);
            map.put(TYPE, Keyword.of(invocation ? "invoke" : op.type().jepsenName()));
            map.put(PROCESS, op.process());
            map.put(F, Keyword.of(op.f()));
            map.put(VALUE, invocation ? op.input() : op.output());
            if (!invocation && op.error() != null) {
                map.put(ERROR, op.error());
            }
            return map;
        }
    }
}
