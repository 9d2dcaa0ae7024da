package dev.keel.harness.nemesis;

import dev.keel.harness.cluster.ClusterControl;
import dev.keel.harness.run.RunClock;

import java.nio.file.Path;
import java.util.function.Consumer;

/** Placeholder: the nemesis work replaces this class with the real one. */
public final class Nemesis {
    /**
     * @param cluster  what the faults act on
     * @param schedule what to do when
     * @param clock    the run's time base (the schedule's times are on it)
     * @param record   the file receiving one Jepsen-style nemesis event per fault start and end (EDN)
     * @param log      one line per fault started or healed, with what it hit (e.g. the leader's name)
     */
    public Nemesis(ClusterControl cluster, FaultSchedule schedule, RunClock clock, Path record, Consumer<String> log) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Starts the schedule on the nemesis thread; returns at once. */
    public void start() {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Stops the schedule, heals whatever fault is in force ({@link ClusterControl#healAll()}) and returns. */
    public void stopAndHeal() {
        throw new UnsupportedOperationException("not built yet");
    }

    /** @return how many faults were started so far */
    public int faultsStarted() {
        throw new UnsupportedOperationException("not built yet");
    }
}
