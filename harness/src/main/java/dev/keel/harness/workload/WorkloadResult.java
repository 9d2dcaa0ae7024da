package dev.keel.harness.workload;

import dev.keel.harness.client.Recorder;

import java.nio.file.Path;
import java.util.List;

/**
 * A workload's verdict.
 *
 * @param workload the workload's name
 * @param outcome  pass, fail or unknown (the checker could not decide, e.g. its time budget ran out)
 * @param headline one sentence: what was checked and, on failure, the first thing that went wrong
 * @param ok       operations that completed {@code :ok}
 * @param failed   operations that completed {@code :fail}
 * @param info     operations whose fate is unknown ({@code :info})
 * @param files    the files written (history, report)
 */
public record WorkloadResult(String workload, Outcome outcome, String headline, long ok, long failed, long info,
                             List<Path> files) {
    /** @return the verdict on {@code history}, its operation counts taken from it */
    public static WorkloadResult of(String workload, Outcome outcome, String headline, Recorder history,
                                    List<Path> files) {
        return new WorkloadResult(workload, outcome, headline, history.okCount(), history.failCount(),
                history.infoCount(), files);
    }

    /** A checker's verdict. */
    public enum Outcome { PASS, FAIL, UNKNOWN }
}
