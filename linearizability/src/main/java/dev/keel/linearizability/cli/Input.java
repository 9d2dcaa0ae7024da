package dev.keel.linearizability.cli;

import java.nio.file.Path;

/**
 * One history to check: a file, or standard input.
 *
 * @param path the file, or {@code null} for standard input
 */
record Input(Path path) {
    /** Standard input, given as {@code -}. */
    static final Input STDIN = new Input(null);

    boolean isStdin() {
        return path == null;
    }

    /** @return the input as messages name it: the path, or "standard input" */
    String name() {
        return isStdin() ? "standard input" : path.toString();
    }

    /** @return the input as the command line spells it: the path, or {@code -}; prefixes batch lines */
    String label() {
        return isStdin() ? "-" : path.toString();
    }
}
