package dev.keel.linearizability.history;

import java.util.Arrays;

/**
 * A history read from a file, with what tools need to report on the input: how many events there were and on
 * which line each one starts.
 */
public final class HistorySource {
    private final History history;
    private final int events;
    private final int ignored;
    /** Event times, strictly increasing, and the line each of those events starts on. */
    private final long[] times;
    private final int[] lines;

    HistorySource(History history, int events, int ignored, long[] times, int[] lines) {
        this.history = history;
        this.events = events;
        this.ignored = ignored;
        this.times = times;
        this.lines = lines;
    }

    /** @return the client operations */
    public History history() {
        return history;
    }

    /** @return how many events (maps) the file held */
    public int events() {
        return events;
    }

    /** @return how many of them were ignored because their {@code :process} is not an integer */
    public int ignored() {
        return ignored;
    }

    /**
     * @param time an event's time, e.g. an operation's {@link Operation#invokeTime()}
     * @return the 1-based line the event with that time starts on, or -1 if no event has that time
     */
    public int lineOf(long time) {
        int i = Arrays.binarySearch(times, 0, events, time);
        return i >= 0 ? lines[i] : -1;
    }

    /**
     * @return where an operation was read, e.g. {@code "line 17"} or {@code "line 17 (completed on line 18)"},
     *     or {@code null} if its times are not this file's
     */
    public String where(Operation op) {
        int invoked = lineOf(op.invokeTime());
        if (invoked < 0) {
            return null;
        }
        int completed = op.completed() ? lineOf(op.completeTime()) : -1;
        return "line " + invoked + (completed < 0 || completed == invoked ? "" : " (completed on line " + completed
                + ")");
    }
}
