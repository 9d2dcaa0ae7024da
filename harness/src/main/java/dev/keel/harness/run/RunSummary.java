package dev.keel.harness.run;

import dev.keel.harness.workload.WorkloadResult;
import dev.keel.harness.workload.WorkloadResult.Outcome;

import java.nio.file.Path;
import java.util.List;

/**
 * What a run found.
 *
 * @param seed     the seed, as printed ({@code 0x...})
 * @param dir      the run's folder
 * @param results  one per workload, in the order they were given
 * @param faults   how many faults the nemesis started
 * @param seconds  the run's length, start of the cluster to the last verdict
 */
public record RunSummary(String seed, Path dir, List<WorkloadResult> results, int faults, double seconds) {
    /** Exit code when every checker passed. */
    public static final int EXIT_PASS = 0;
    /** Exit code when a checker found a violation. */
    public static final int EXIT_VIOLATION = 1;
    /** Exit code when no checker failed but one could not decide. */
    public static final int EXIT_UNKNOWN = 2;

    /** @return the worst outcome: a failure beats an unknown beats a pass */
    public Outcome outcome() {
        boolean unknown = false;
        for (WorkloadResult r : results) {
            if (r.outcome() == Outcome.FAIL) {
                return Outcome.FAIL;
            }
            unknown |= r.outcome() == Outcome.UNKNOWN;
        }
        return unknown ? Outcome.UNKNOWN : Outcome.PASS;
    }

    /** @return the process exit code for {@link #outcome()} */
    public int exitCode() {
        return switch (outcome()) {
            case PASS -> EXIT_PASS;
            case FAIL -> EXIT_VIOLATION;
            case UNKNOWN -> EXIT_UNKNOWN;
        };
    }

    /** @return the summary table and the verdict line */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-9s %-7s %8s %6s %6s  %s%n", "workload", "verdict", "ok", "fail", "info",
                "what was checked"));
        for (WorkloadResult r : results) {
            out.append(String.format("%-9s %-7s %8d %6d %6d  %s%n", r.workload(), r.outcome(), r.ok(), r.failed(),
                    r.info(), r.headline()));
        }
        out.append(String.format("%d faults in %.0f s, seed %s, folder %s%n", faults, seconds, seed, dir));
        out.append(switch (outcome()) {
            case PASS -> "PASS: every checker passed";
            case FAIL -> "FAIL: a checker found a violation; replay the schedule with --seed " + seed
                    + " and read the workload's .edn and .html in " + dir;
            case UNKNOWN -> "UNKNOWN: a checker could not decide in its time budget; re-check the .edn with "
                    + "bin/keel-check --timeout 600 (see harness.log)";
        }).append('\n');
        return out.toString();
    }
}
