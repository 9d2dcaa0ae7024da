package dev.keel.simulator;

import dev.keel.kernel.raft.BugInjector;

import java.util.EnumSet;

/** Manual probe: how fast each injected bug is caught. */
final class BugHunt {
    public static void main(String[] args) {
        int seeds = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int nodes = Integer.parseInt(args[2]);
        String[] bugs = args.length > 3 ? args[3].split(",") : new String[]{"vote-without-log-check",
            "commit-earlier-term-by-count", "read-index-without-round", "ack-before-persist"};
        for (String bug : bugs) {
            int found = -1;
            String check = "";
            long t0 = System.nanoTime();
            int unknown = 0;
            long[] list = SimulatorCli.seedSequence(bug.hashCode(), seeds);
            for (int i = 0; i < list.length && found < 0; i++) {
                EnumSet<FaultKind> faults = args.length > 4 ? FaultKind.parse(args[4]) : EnumSet.allOf(FaultKind.class);
                Simulation sim = new Simulation(new SimConfig(list[i], nodes, seconds, faults), plan -> {
                    if (System.getProperty("tweak") != null) {
                        plan.maxMessageBytes = 1;
                        plan.preVote = false;
                        plan.checkQuorum = false;
                        plan.leaseReads = false;
                        plan.meanMicrosBetweenDisruptions = Long.getLong("mean", 200_000);
                        plan.lossPercent = Integer.getInteger("loss", 20);
                        plan.reorderPercent = 20;
                    }
                });
                if (bug.equals("ack-before-persist")) {
                    sim.hostBugSendBeforeFsync = true;
                } else {
                    sim.kernelBugs = n -> BugInjector.inject(n, bug);
                }
                SimResult r = sim.run();
                if (r.linearizability().startsWith("unknown")) {
                    unknown++;
                }
                if (!r.passed()) {
                    found = i;
                    String first = r.detail().split("\n")[0];
                    check = r.failedCheck() + " — " + (first.length() > 300 ? first.substring(0, 300) : first);
                }
            }
            System.out.printf("%s: %s after %.1f s, %d unknown verdicts%n", bug, found < 0 ? "NOT caught" : "caught by seed #" + found + " (" + check + ")",
                    (System.nanoTime() - t0) / 1e9, unknown);
        }
    }
}
