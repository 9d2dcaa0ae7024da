package dev.keel.linearizability.history;

/**
 * A history read from a file, with what tools need to report on the input.
 *
 * @param history the client operations
 * @param events  how many events (maps) the file held
 * @param ignored how many of them were ignored because their {@code :process} is not an integer
 */
public record HistorySource(History history, int events, int ignored) {
}
