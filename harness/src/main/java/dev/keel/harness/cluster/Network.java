package dev.keel.harness.cluster;

/**
 * The links between members, each running through a proxy the harness owns. Links are directed and named by
 * member names: {@code block("n1", "n2")} drops every frame n1 sends to n2 while n2's frames still reach n1.
 * Frames are dropped whole, so what gets through is always well-formed. Thread-safe.
 */
public interface Network {
    /** Drops every frame {@code from} sends to {@code to}. */
    void block(String from, String to);

    /** Holds every frame {@code from} sends to {@code to} for {@code millis} before passing it on, in order. */
    void delay(String from, String to, long millis);

    /** Drops each frame {@code from} sends to {@code to} with probability {@code share} (0 to 1). */
    void drop(String from, String to, double share);

    /** Restores every link to pass everything at once. */
    void heal();

    /** @return the faults now in force, e.g. {@code n1->n2 blocked, n3->n1 delay 200ms}; {@code healed} if none */
    String describe();
}
