package dev.keel.linearizability.edn;

/**
 * An EDN symbol such as {@code foo} or {@code jepsen.history/Op}. Histories rarely contain symbols, but the
 * reader keeps them so that any value Jepsen writes can be read and written back unchanged.
 *
 * @param name the symbol as written
 */
public record Symbol(String name) {
    @Override
    public String toString() {
        return name;
    }
}
