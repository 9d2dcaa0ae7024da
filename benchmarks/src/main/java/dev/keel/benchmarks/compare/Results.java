package dev.keel.benchmarks.compare;

import dev.keel.benchmarks.load.LoadResult;
import dev.keel.benchmarks.node.LocalCluster.Kind;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Everything one {@code bin/keel-compare} run measured, rounds merged, and what failed. */
final class Results {
    /**
     * One scenario on one system, all rounds together.
     *
     * @param load      the load's result
     * @param cpuMillis the members' CPU time over the measured phases (user + system, every member)
     */
    record Measured(LoadResult load, double cpuMillis) {
        /** @return members' CPU milliseconds per operation */
        double cpuPerOp() {
            return load.ops() == 0 ? 0 : cpuMillis / load.ops();
        }

        Measured plus(Measured other) {
            return new Measured(load.plus(other.load), cpuMillis + other.cpuMillis);
        }
    }

    private final Map<Scenario, Map<Kind, Measured>> loads = new EnumMap<>(Scenario.class);
    private final Map<Kind, MemoryProbe.Result> memory = new EnumMap<>(Kind.class);
    private final List<String> failures = new ArrayList<>();

    synchronized void add(Scenario s, Kind kind, Measured m) {
        loads.computeIfAbsent(s, x -> new EnumMap<>(Kind.class)).merge(kind, m, Measured::plus);
    }

    synchronized void memory(Kind kind, MemoryProbe.Result r) {
        memory.put(kind, r);
    }

    synchronized void failed(String what) {
        failures.add(what);
    }

    /** @return the scenario's result on {@code kind}, or null if not measured */
    synchronized Measured get(Scenario s, Kind kind) {
        Map<Kind, Measured> m = loads.get(s);
        return m == null ? null : m.get(kind);
    }

    synchronized MemoryProbe.Result memory(Kind kind) {
        return memory.get(kind);
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }
}
