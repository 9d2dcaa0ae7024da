package dev.keel.harness.workload.support;

import dev.keel.harness.workload.WorkloadResult.Outcome;

/**
 * What a workload-specific checker decided.
 *
 * @param outcome  pass, fail, or unknown (the data needed to decide was not gathered)
 * @param headline one plain sentence: what was verified, or the first violation
 */
public record Verdict(Outcome outcome, String headline) {
    /** @return a passing verdict */
    public static Verdict pass(String headline) {
        return new Verdict(Outcome.PASS, headline);
    }

    /** @return a failing verdict */
    public static Verdict fail(String headline) {
        return new Verdict(Outcome.FAIL, headline);
    }

    /** @return an undecided verdict */
    public static Verdict unknown(String headline) {
        return new Verdict(Outcome.UNKNOWN, headline);
    }

    /** @return whether it passed */
    public boolean passed() {
        return outcome == Outcome.PASS;
    }
}
