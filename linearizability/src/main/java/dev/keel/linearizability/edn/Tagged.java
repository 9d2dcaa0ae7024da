package dev.keel.linearizability.edn;

/**
 * A tagged EDN element such as {@code #inst "2024-01-01T00:00:00Z"} or a Clojure record printed as
 * {@code #jepsen.history.Op{...}}. The reader does not interpret tags; it keeps the tag and the value.
 *
 * @param tag   the tag symbol without {@code #}, e.g. {@code inst}
 * @param value the tagged value
 */
public record Tagged(String tag, Object value) {
}
