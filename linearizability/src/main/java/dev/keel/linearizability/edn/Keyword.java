package dev.keel.linearizability.edn;

/**
 * An EDN keyword such as {@code :invoke} or {@code :jepsen/nemesis}. Equal names are equal keywords.
 *
 * @param name the keyword without its leading colon, e.g. {@code "invoke"}
 */
public record Keyword(String name) implements Comparable<Keyword> {
    /** @throws IllegalArgumentException if the name is empty */
    public Keyword {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a keyword needs a name");
        }
    }

    /** @return the keyword named {@code name} (without colon) */
    public static Keyword of(String name) {
        return new Keyword(name);
    }

    @Override
    public int compareTo(Keyword other) {
        return name.compareTo(other.name);
    }

    /** @return the keyword as EDN writes it, e.g. {@code :invoke} */
    @Override
    public String toString() {
        return ":" + name;
    }
}
