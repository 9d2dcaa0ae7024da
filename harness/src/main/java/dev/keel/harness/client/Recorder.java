package dev.keel.harness.client;

import dev.keel.harness.run.RunClock;
import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.edn.Keyword;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.JepsenEdn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workload's history as Jepsen records it: one event per invocation and one per completion, each with
 * {@code :process}, {@code :type}, {@code :f}, {@code :value}, {@code :time} (nanoseconds since the run began)
 * and {@code :index} (its position). As in Jepsen, a process whose operation ended {@code :info} is considered
 * crashed: its client thread goes on as a new process (the old number plus the number of clients), so no process
 * ever has two operations open. Thread-safe.
 */
public final class Recorder {
    private static final Keyword TYPE = Keyword.of("type");
    private static final Keyword F = Keyword.of("f");
    private static final Keyword VALUE = Keyword.of("value");
    private static final Keyword PROCESS = Keyword.of("process");
    private static final Keyword TIME = Keyword.of("time");
    private static final Keyword INDEX = Keyword.of("index");
    private static final Keyword ERROR = Keyword.of("error");
    private static final Keyword NODE = Keyword.of("node");

    private final RunClock clock;
    private final int clients;
    private final List<Map<Keyword, Object>> events = new ArrayList<>();
    private long ok;
    private long failed;
    private long info;

    /**
     * @param clock   the run's time base
     * @param clients how many client threads share the recorder (the step between a thread's process numbers)
     */
    public Recorder(RunClock clock, int clients) {
        this.clock = clock;
        this.clients = clients;
    }

    /** @return the process of client thread {@code thread} (0-based) at the start of the run */
    public Process process(int thread) {
        if (thread < 0 || thread >= clients) {
            throw new IllegalArgumentException("thread " + thread + " of " + clients);
        }
        return new Process(thread);
    }

    /**
     * Records an invocation.
     *
     * @param value the operation's argument, as EDN values (Long, String, List, Keyword, null)
     * @return the open operation, to be completed exactly once
     */
    public Op invoke(Process process, String f, Object value) {
        return invoke(process, f, value, null);
    }

    /**
     * As {@link #invoke(Process, String, Object)}, noting in the invocation which member the call goes to
     * ({@code :node "127.0.0.1:port"}, as Jepsen's histories name the node a client talks to; checkers ignore it).
     */
    public Op invoke(Process process, String f, Object value, String node) {
        if (process.open != null) {
            throw new IllegalStateException("process " + process.id + " already has " + process.open.f + " open");
        }
        Op op = new Op(process, process.id, f);
        process.open = op;
        Map<Keyword, Object> event = event("invoke", op, value, null);
        if (node != null) {
            event.put(NODE, node);
        }
        append(event);
        return op;
    }

    /** Completes {@code op} as {@code :ok} with what the server answered. */
    public void ok(Op op, Object value) {
        complete(op, "ok", value, null);
    }

    /** Completes {@code op} as {@code :fail}: etcd's answer proves it did not take effect. */
    public void fail(Op op, Object value, String error) {
        complete(op, "fail", value, error);
    }

    /**
     * Completes {@code op} as {@code :info}: it may or may not have taken effect (timeout, dropped connection).
     * The client thread continues as a new process.
     */
    public void info(Op op, Object value, String error) {
        complete(op, "info", value, error);
        op.owner.id += clients;
    }

    /**
     * Completes a write that threw: {@code :fail} when {@link Failures#ofWrite} proves it never took effect,
     * {@code :info} otherwise, with the error {@link Failures#describe described}.
     */
    public void failedWrite(Op op, Object value, Throwable error) {
        if (Failures.ofWrite(error) == Failures.Fate.FAIL) {
            fail(op, value, Failures.describe(error));
        } else {
            info(op, value, Failures.describe(error));
        }
    }

    private void complete(Op op, String type, Object value, String error) {
        if (op.owner.open != op) {
            throw new IllegalStateException("operation " + op.f + " of process " + op.process + " is not open");
        }
        op.owner.open = null;
        append(event(type, op, value, error));
    }

    private Map<Keyword, Object> event(String type, Op op, Object value, String error) {
        Map<Keyword, Object> e = new LinkedHashMap<>();
        e.put(TYPE, Keyword.of(type));
        e.put(F, Keyword.of(op.f));
        e.put(VALUE, value);
        e.put(PROCESS, op.process);
        if (error != null) {
            e.put(ERROR, error);
        }
        return e;
    }

    private synchronized void append(Map<Keyword, Object> event) {
        event.put(TIME, clock.nanos()); // under the lock, so times never go back along the file
        event.put(INDEX, (long) events.size());
        events.add(event);
        switch (((Keyword) event.get(TYPE)).name()) {
            case "ok" -> ok++;
            case "fail" -> failed++;
            case "info" -> info++;
            default -> { }
        }
    }

    /** @return operations completed {@code :ok} so far */
    public synchronized long okCount() {
        return ok;
    }

    /** @return operations completed {@code :fail} so far */
    public synchronized long failCount() {
        return failed;
    }

    /** @return operations completed {@code :info} so far */
    public synchronized long infoCount() {
        return info;
    }

    /** @return the counts so far for a progress line: {@code ok 412 fail 3 info 7} */
    public synchronized String progress() {
        return "ok " + ok + " fail " + failed + " info " + info;
    }

    /** @return the history as Jepsen EDN: a vector with one event map per line, in the order they happened */
    public synchronized String edn() {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < events.size(); i++) {
            out.append(i == 0 ? "" : "\n ");
            EdnWriter.write(events.get(i), out);
        }
        return out.append("]\n").toString();
    }

    /** Writes {@link #edn()} to {@code file}. */
    public void write(Path file) {
        try {
            Files.writeString(file, edn(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    /** @return the history read back from {@link #edn()}, so the checker judges exactly what the file holds */
    public History history() {
        return JepsenEdn.read(edn());
    }

    /** One client thread's identity in the history; only its own thread uses it. */
    public static final class Process {
        private long id;
        private Op open;

        private Process(long id) {
            this.id = id;
        }

        /** @return the process number its next operation gets */
        public long id() {
            return id;
        }
    }

    /** An invoked operation awaiting its completion. */
    public static final class Op {
        private final Process owner;
        private final long process;
        private final String f;

        private Op(Process owner, long process, String f) {
            this.owner = owner;
            this.process = process;
            this.f = f;
        }

        /** @return the process number it was invoked by */
        public long process() {
            return process;
        }

        /** @return its function, e.g. {@code write} */
        public String f() {
            return f;
        }
    }
}
