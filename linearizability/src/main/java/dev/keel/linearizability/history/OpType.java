package dev.keel.linearizability.history;

/** How an operation completed, in Jepsen's terms. */
public enum OpType {
    /** It happened, between its invocation and its completion, with the completion's result. */
    OK,
    /** It certainly did not happen (Jepsen's {@code :fail}); the checker ignores it. */
    FAIL,
    /**
     * Indeterminate (Jepsen's {@code :info}: timeout, crash, or no completion at all): it may have taken effect at
     * any point after its invocation, even after the {@code :info} event, or never.
     */
    INFO;

    /** @return the Jepsen {@code :type} name, e.g. {@code "ok"} */
    public String jepsenName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
