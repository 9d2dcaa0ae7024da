package dev.keel.linearizability.history;

import java.util.Optional;

/**
 * A history that cannot be checked as given: an event that is not an operation, a completion without an
 * invocation, a value a model cannot interpret. The message says what is wrong and, for input read from a file,
 * where.
 */
public final class InvalidHistoryException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The operation at fault, when the problem is with one operation; not serialized. */
    private final transient Operation operation;
    private final String problem;
    private final String context;

    /** @param message what is wrong and where */
    public InvalidHistoryException(String message) {
        super(message);
        this.operation = null;
        this.problem = message;
        this.context = "";
    }

    /**
     * @param operation the operation at fault; its times let a tool that read the history from a file name the
     *                  lines (see {@link HistorySource#lineOf(long)})
     * @param context   what else locates it, e.g. {@code " (key \"a\")"}, or {@code ""}
     * @param problem   what is wrong with it
     */
    public InvalidHistoryException(Operation operation, String context, String problem) {
        super("operation " + operation + context + ": " + problem);
        this.operation = operation;
        this.problem = problem;
        this.context = context;
    }

    /** @return the operation at fault, if the problem is with one operation */
    public Optional<Operation> operation() {
        return Optional.ofNullable(operation);
    }

    /** @return what else locates the operation, e.g. {@code " (key \"a\")"}, or {@code ""} */
    public String context() {
        return context;
    }

    /** @return what is wrong, without the operation (the whole message when there is no operation) */
    public String problem() {
        return problem;
    }
}
