package dev.keel.simulator;

import dev.keel.kernel.raft.BugInjector;

import java.util.List;
import java.util.Optional;

/**
 * The classic Raft bugs the simulator must catch, with the cluster, fault mix and seed bound that expose each
 * soonest. Shared by {@link BugDetectionTest} and the {@link DemoBug} demo; test scope only, because the kernel
 * bugs come from the kernel's test jar ({@link BugInjector}) and must never reach production code.
 */
final class BugCases {
    /**
     * One injectable bug.
     *
     * @param bug            its name, as {@code --demo-bug} takes it
     * @param breaks         what it breaks, in one line
     * @param nodes          cluster size
     * @param virtualSeconds virtual time per seed
     * @param faults         the fault kinds each seed draws from
     * @param maxSeeds       how many seeds may be tried before the simulator counts as having missed it
     */
    record Case(String bug, String breaks, int nodes, int virtualSeconds, String faults, int maxSeeds) {
        /** @return the seeds tried, always the same for a bug */
        long[] seeds() {
            return SimulatorCli.seedSequence(bug.hashCode(), maxSeeds);
        }

        /** @return a simulation of {@code seed} with this bug injected */
        Simulation simulation(long seed) {
            Simulation sim = new Simulation(new SimConfig(seed, nodes, virtualSeconds, FaultKind.parse(faults)));
            if (bug.equals(ACK_BEFORE_PERSIST)) {
                sim.lyingDisks = true;
            } else {
                sim.kernelBugs = node -> BugInjector.inject(node, bug);
            }
            return sim;
        }
    }

    /** The one host bug; the others are kernel bugs. */
    static final String ACK_BEFORE_PERSIST = "ack-before-persist";

    static final List<Case> CASES = List.of(
            new Case("vote-without-log-check", "a node grants its vote without checking that the candidate's log is"
                    + " as up to date as its own, so a leader missing committed writes can be elected (Raft 5.4.1)",
                    3, 20, "all", 100),
            new Case("read-index-without-round", "the leader answers ReadIndex at once, without the heartbeat round"
                    + " that proves it still leads, so a deposed leader serves stale reads",
                    3, 20, "isolate-leader,partition,asymmetric-partition,delay", 300),
            new Case("local-read", "every node answers linearizable reads from its own commit index, leader or not,"
                    + " so a lagging or cut-off follower serves stale reads", 3, 20, "partition,delay", 100),
            new Case(ACK_BEFORE_PERSIST, "disks report a sync complete before the data is durable (a lying fsync),"
                    + " so a crash loses entries the node already acknowledged", 3, 20,
                    "crash,slow-fsync,delay,loss,pause", 300),
            new Case("commit-earlier-term-by-count", "a new leader commits an earlier term's entry by counting its"
                    + " replicas (Raft's Figure 8), so a committed write can later be overwritten", 3, 10,
                    "crash,isolate-leader,loss,delay,reorder,clock-jump,pause", 4000));

    private BugCases() {
    }

    /** @return the case named {@code bug} */
    static Optional<Case> named(String bug) {
        return CASES.stream().filter(c -> c.bug().equals(bug)).findFirst();
    }
}
