package dev.keel.linearizability.history;

/**
 * A history that cannot be checked as given: an event that is not an operation, a completion without an
 * invocation, a value a model cannot interpret. The message says what is wrong and, for input read from a file,
 * where.
 */
public final class InvalidHistoryException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where */
    public InvalidHistoryException(String message) {
        super(message);
    }
}
