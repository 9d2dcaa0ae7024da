package dev.keel.linearizability.cli;

/** A problem with the command line or the input, reported as one line and exit code 64. */
final class UsageProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageProblem(String message) {
        super(message);
    }
}
