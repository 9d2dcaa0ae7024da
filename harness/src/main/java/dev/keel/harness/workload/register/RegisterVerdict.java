package dev.keel.harness.workload.register;

import dev.keel.harness.workload.WorkloadResult.Outcome;

import java.util.Optional;

/**
 * What {@link RegisterChecker} concluded.
 *
 * @param outcome    pass, fail, or unknown (the search ran out of budget)
 * @param headline   one sentence: what was verified, or the key and read the checker could not linearize
 * @param htmlReport the counterexample as {@code HtmlReport} renders it; present iff the outcome is FAIL
 */
public record RegisterVerdict(Outcome outcome, String headline, Optional<String> htmlReport) {
}
