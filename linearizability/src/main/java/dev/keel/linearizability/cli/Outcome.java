package dev.keel.linearizability.cli;

import dev.keel.linearizability.search.Verdict;

/**
 * What became of one history, with keel-check's exit code for it. A batch exits with the code of its most
 * severe outcome, in the order declared here: a violation found is the answer a test run exists to find, so it
 * wins; a history that could not be checked at all (a bug in keel-check, or unreadable input) comes next, since
 * it leaves a hole in the run; unknown (checked, but the budget ran out) comes after those.
 */
enum Outcome {
    NOT_LINEARIZABLE("not linearizable", 1),
    INTERNAL_ERROR("internal error", KeelCheck.EXIT_INTERNAL),
    UNREADABLE("unreadable", KeelCheck.EXIT_USAGE),
    UNKNOWN("unknown", 2),
    LINEARIZABLE("linearizable", 0);

    private final String text;
    private final int exitCode;

    Outcome(String text, int exitCode) {
        this.text = text;
        this.exitCode = exitCode;
    }

    static Outcome of(Verdict verdict) {
        switch (verdict) {
            case LINEARIZABLE: return LINEARIZABLE;
            case NOT_LINEARIZABLE: return NOT_LINEARIZABLE;
            default: return UNKNOWN;
        }
    }

    String text() {
        return text;
    }

    int exitCode() {
        return exitCode;
    }

    /** @return the more severe of the two (declaration order) */
    Outcome worse(Outcome other) {
        return other.ordinal() < ordinal() ? other : this;
    }
}
