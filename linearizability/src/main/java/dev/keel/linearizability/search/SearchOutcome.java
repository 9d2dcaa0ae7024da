package dev.keel.linearizability.search;

/**
 * The result of searching one part of a history.
 *
 * @param verdict       the part's verdict
 * @param reason        why the search stopped early ({@link Verdict#UNKNOWN} only), else {@code null}
 * @param cachedStates  how many (set, state) pairs the search cached: a measure of its work
 */
record SearchOutcome(Verdict verdict, String reason, int cachedStates) {
    static SearchOutcome linearizable(int cached) {
        return new SearchOutcome(Verdict.LINEARIZABLE, null, cached);
    }

    static SearchOutcome notLinearizable(int cached) {
        return new SearchOutcome(Verdict.NOT_LINEARIZABLE, null, cached);
    }

    static SearchOutcome unknown(String reason, int cached) {
        return new SearchOutcome(Verdict.UNKNOWN, reason, cached);
    }
}
