package dev.keel.simulator;

import java.util.EnumSet;

final class SpeedProbe {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        long[] seeds = System.getProperty("seed") != null ? new long[]{Long.parseUnsignedLong(System.getProperty("seed"), 16)} : SimulatorCli.seedSequence(1, n);
        long simNanos = 0;
        long virtual = 0;
        long events = 0;
        for (long seed : seeds) {
            Simulation sim = new Simulation(new SimConfig(seed, 3, seconds, EnumSet.allOf(FaultKind.class)));
            sim.skipHistoryCheck = true;
            SimResult r = sim.run();
            simNanos += sim.simulatedNanos;
            virtual += r.virtualMicros();
            events += sim.eventsProcessed();
            if (!r.passed()) System.out.println("FAIL " + r.failedCheck());
            if (System.getProperty("seed") != null) System.out.println(java.util.Arrays.toString(sim.network.sentByType) + "\n" + r.detail());
            if (System.getProperty("agenda") != null) System.out.println("max agenda " + sim.maxAgenda);
            if (System.getProperty("verbose") != null) System.out.printf("seed %x: %d events, %.0f ms, sent %d, %s%n", seed, sim.eventsProcessed(), sim.simulatedNanos / 1e6 + sim.maxAgenda * 1e6 * 0, sim.network.sent, r.plan());
        }
        System.out.printf("%d seeds: %.1f virtual s in %.2f wall s = %.0fx, %d events (%.0f ns/event)%n", n, virtual / 1e6,
                simNanos / 1e9, virtual / 1e3 / (simNanos / 1e6), events, simNanos / (double) events);
    }
}
