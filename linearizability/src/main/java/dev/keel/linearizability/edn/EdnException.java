package dev.keel.linearizability.edn;

/**
 * Malformed EDN input. The message names the line and column (both 1-based) where reading stopped, so a person
 * can find the problem without a stack trace.
 */
public final class EdnException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;

    /**
     * @param problem what is wrong, e.g. "unterminated string"
     * @param line    1-based line of the problem
     * @param column  1-based column of the problem
     */
    public EdnException(String problem, int line, int column) {
        super("line " + line + ", column " + column + ": " + problem);
        this.line = line;
        this.column = column;
    }

    /** @return the 1-based line of the problem */
    public int line() {
        return line;
    }

    /** @return the 1-based column of the problem */
    public int column() {
        return column;
    }
}
