package dev.keel.linearizability.gen;

import dev.keel.linearizability.edn.Keyword;
import dev.keel.linearizability.gen.Workload.Invocation;
import dev.keel.linearizability.gen.Workload.Result;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Generates histories that are linearizable by construction, for tests and benchmarks: concurrent processes
 * invoke operations with random latencies; each operation takes effect at a random point inside its interval
 * (an indeterminate one at a random point after its invocation, possibly after it timed out, or never), on a
 * reference implementation of the object; results are what that implementation answered. Like Jepsen, a process
 * whose operation ends indeterminate is replaced by a fresh process id.
 */
public final class HistoryGenerator {
    private static final Keyword TIMEOUT = Keyword.of("timeout");

    private HistoryGenerator() {
    }

    /**
     * What to generate.
     *
     * @param workload   a model name: register, cas-register, mutex, multi-register or kv
     * @param operations how many operations
     * @param processes  how many processes run concurrently
     * @param keys       kv: how many keys; register and cas-register: more than 1 makes an independent history of
     *                   {@code [key value]} tuples
     * @param infoRate   the fraction of operations that end indeterminate (Jepsen's {@code :info})
     * @param values     values are drawn from {@code [0, values)}; fewer values mean more ambiguity
     * @param seed       the seed; equal specs generate equal histories
     */
    public record Spec(String workload, int operations, int processes, int keys, double infoRate, int values,
            long seed) {
        /** @throws IllegalArgumentException for sizes that make no sense */
        public Spec {
            if (operations < 0 || processes < 1 || keys < 1 || values < 1 || infoRate < 0 || infoRate > 1) {
                throw new IllegalArgumentException("operations >= 0, processes >= 1, keys >= 1, values >= 1 and "
                        + "0 <= infoRate <= 1 are required: " + this);
            }
        }
    }

    /** @return a linearizable history as {@code spec} describes, with logical times 0, 1, 2, ... */
    public static History generate(Spec spec) {
        SplittableRandom random = new SplittableRandom(spec.seed());
        Workload workload = workloadFor(spec);
        List<Planned> planned = plan(spec, workload, random);
        List<Planned> byEffect = new ArrayList<>();
        for (Planned p : planned) {
            if (p.effectTime >= 0) {
                byEffect.add(p);
            }
        }
        byEffect.sort(Comparator.comparingLong((Planned p) -> p.effectTime).thenComparingInt(p -> p.sequence));
        for (Planned p : byEffect) {
            p.result = workload.apply(p.invocation);
        }
        return toHistory(planned);
    }

    private static Workload workloadFor(Spec spec) {
        switch (spec.workload()) {
            case "register":
            case "cas-register":
                boolean cas = spec.workload().equals("cas-register");
                if (spec.keys() > 1) {
                    return new IndependentWorkload(spec.keys(), () -> new RegisterWorkload(cas, spec.values(), null));
                }
                return new RegisterWorkload(cas, spec.values(), null);
            case "mutex":
                return new MutexWorkload();
            case "multi-register":
                return new MultiRegisterWorkload(spec.values(), Map.of());
            case "kv":
                return new KvWorkload(spec.keys(), spec.values());
            default:
                throw new IllegalArgumentException("no generator for workload '" + spec.workload() + "'");
        }
    }

    /** Lays out every operation's process, interval and effect point. */
    private static List<Planned> plan(Spec spec, Workload workload, SplittableRandom random) {
        // Each slot is one concurrent client; its process id changes after an indeterminate operation.
        PriorityQueue<long[]> slots = new PriorityQueue<>(Comparator.<long[]>comparingLong(s -> s[0])
                .thenComparingLong(s -> s[1]));
        for (int i = 0; i < spec.processes(); i++) {
            slots.add(new long[] {random.nextInt(10), i});
        }
        List<Planned> planned = new ArrayList<>(spec.operations());
        for (int i = 0; i < spec.operations(); i++) {
            long[] slot = slots.poll();
            Planned p = new Planned(i, slot[1], workload.invent(random));
            p.invokeTime = slot[0];
            long latency = 1 + random.nextInt(100);
            p.completeTime = p.invokeTime + latency;
            p.indeterminate = random.nextDouble() < spec.infoRate();
            if (!p.indeterminate) {
                p.effectTime = p.invokeTime + random.nextLong(latency + 1);
            } else if (random.nextBoolean()) {
                p.effectTime = p.invokeTime + random.nextLong(3 * latency + 1); // maybe after the timeout
            }
            planned.add(p);
            long nextProcess = p.indeterminate ? slot[1] + spec.processes() : slot[1];
            // Strictly after the completion: a process never invokes before its previous operation completed.
            slots.add(new long[] {p.completeTime + 1 + random.nextInt(20), nextProcess});
        }
        return planned;
    }

    /** Turns planned operations into a history whose times are the events' positions. */
    private static History toHistory(List<Planned> planned) {
        List<long[]> events = new ArrayList<>(); // {time, 0 = invoke / 1 = complete, operation}
        for (Planned p : planned) {
            events.add(new long[] {p.invokeTime, 0, p.sequence});
            events.add(new long[] {p.completeTime, 1, p.sequence});
        }
        // Invocations first at equal times: touching intervals count as concurrent, which is always safe.
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1])
                .thenComparingLong(e -> e[2]));
        long[] invokePosition = new long[planned.size()];
        List<Operation> ops = new ArrayList<>(planned.size());
        for (int position = 0; position < events.size(); position++) {
            long[] e = events.get(position);
            Planned p = planned.get((int) e[2]);
            if (e[1] == 0) {
                invokePosition[p.sequence] = position;
            } else {
                ops.add(p.toOperation(invokePosition[p.sequence], position));
            }
        }
        return History.of(ops);
    }

    /** One operation while it is being planned. */
    private static final class Planned {
        final int sequence;
        final long process;
        final Invocation invocation;
        long invokeTime;
        long completeTime;
        long effectTime = -1;
        boolean indeterminate;
        Result result;

        Planned(int sequence, long process, Invocation invocation) {
            this.sequence = sequence;
            this.process = process;
            this.invocation = invocation;
        }

        Operation toOperation(long invokePosition, long completePosition) {
            OpType type = indeterminate ? OpType.INFO : result.ok() ? OpType.OK : OpType.FAIL;
            Object output = indeterminate ? invocation.value() : result.value();
            return new Operation(process, invocation.f(), invocation.value(), output, type, invokePosition,
                    completePosition, indeterminate ? TIMEOUT : null);
        }
    }
}
