package dev.keel.simulator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run has found so far — seeds run, passed, failed, and the failing seeds — printable at any moment, in
 * particular from the shutdown hook when the user stops a long run with Ctrl-C. Updated by the thread that
 * collects results and read by the hook's thread, hence synchronized.
 */
final class RunSummary {
    private long passed;
    private final List<Long> failing = new ArrayList<>();
    private boolean finished;

    /** Records one finished seed. */
    synchronized void record(long seed, boolean seedPassed) {
        if (seedPassed) {
            passed++;
        } else {
            failing.add(seed);
        }
    }

    /** Marks the run complete: its own report has been printed, so the shutdown hook stays silent. */
    synchronized void finish() {
        finished = true;
    }

    synchronized boolean finished() {
        return finished;
    }

    /** Prints one line of counts and, if any seed failed, one replayable seed per line. */
    synchronized void print(PrintStream to, String why) {
        to.println("keel-sim " + why + ": " + (passed + failing.size()) + " seeds run, " + passed + " passed, "
                + failing.size() + " failed");
        for (long seed : failing) {
            to.println("  failed: --seed 0x" + Long.toHexString(seed));
        }
        to.flush();
    }

    /** A shutdown hook that prints the summary unless the run finished on its own. */
    Thread shutdownHook(PrintStream to) {
        return new Thread(() -> {
            if (!finished()) {
                print(to, "interrupted");
            }
        }, "keel-sim-summary");
    }
}
