package dev.keel.linearizability.edn;

/**
 * A value read from EDN together with where it started, so that later validation (for example of a history
 * operation) can point at the right place in the file.
 *
 * @param value  the value
 * @param line   1-based line where the value starts
 * @param column 1-based column where the value starts
 */
public record Located(Object value, int line, int column) {
    /** @return {@code "line L, column C"}, for messages */
    public String where() {
        return "line " + line + ", column " + column;
    }
}
