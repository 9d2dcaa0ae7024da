package dev.keel.linearizability.search;

import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of a check.
 *
 * @param verdict        linearizable, not linearizable, or unknown
 * @param counterexample present iff the verdict is {@link Verdict#NOT_LINEARIZABLE}
 * @param reason         why the verdict is {@link Verdict#UNKNOWN}, else {@code null}
 * @param parts          how many independent parts the history was split into (1 if not split)
 * @param partsDecided   how many of them were decided before the check ended
 * @param cachedStates   (set, state) pairs cached over all parts: a measure of the work done
 * @param elapsed        wall-clock time of the check
 */
public record CheckResult(Verdict verdict, Optional<Counterexample> counterexample, String reason, int parts,
        int partsDecided, long cachedStates, Duration elapsed) {
}
