package dev.keel.node;

/** A member could not start; the message says why and what to do. */
public final class NodeStartException extends RuntimeException {
    public NodeStartException(String message) {
        super(message);
    }

    public NodeStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
