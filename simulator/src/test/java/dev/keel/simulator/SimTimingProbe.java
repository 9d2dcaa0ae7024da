package dev.keel.simulator;

import java.util.EnumSet;

/** Manual probe: java -cp ... dev.keel.simulator.SimTimingProbe N SECONDS */
final class SimTimingProbe {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        long[] seeds = SimulatorCli.seedSequence(0, n);
        for (long seed : seeds) {
            Simulation sim = new Simulation(new SimConfig(seed, 3, seconds, EnumSet.allOf(FaultKind.class)));
            long t0 = System.nanoTime();
            SimResult r = sim.run();
            long total = System.nanoTime() - t0;
            long infoWrites = sim.history.ops.stream().filter(o -> o.type.equals("info") && !o.f.equals("get")).count();
            System.out.printf("  info writes %d, keys %d, clients %d%n", infoWrites, sim.plan.keys, sim.plan.clients);
            System.out.printf("seed %x: sim %.0f ms, check %.0f ms, events %d, ops %d, virtual %.1f s, %s %s%n", seed,
                    sim.simulatedNanos / 1e6, (total - sim.simulatedNanos) / 1e6, sim.eventsProcessed(), r.operations(),
                    r.virtualMicros() / 1e6, r.passed() ? "ok" : r.failedCheck(), r.linearizability().length() > 60 ? r.linearizability().substring(0, 60) : r.linearizability());
        }
    }
}
