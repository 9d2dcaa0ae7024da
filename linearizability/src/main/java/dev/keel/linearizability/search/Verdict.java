package dev.keel.linearizability.search;

/** What the checker concluded, with the CLI's wording and exit code for each answer. */
public enum Verdict {
    /** Some order of the operations, consistent with real time, is a run of the model. */
    LINEARIZABLE("linearizable", 0),
    /** No such order exists. */
    NOT_LINEARIZABLE("not linearizable", 1),
    /** The budget ran out before either could be shown. */
    UNKNOWN("unknown", 2);

    private final String text;
    private final int exitCode;

    Verdict(String text, int exitCode) {
        this.text = text;
        this.exitCode = exitCode;
    }

    /** @return the verdict as keel-check prints it */
    public String text() {
        return text;
    }

    /** @return keel-check's exit code for it */
    public int exitCode() {
        return exitCode;
    }
}
