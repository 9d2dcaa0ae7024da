package dev.keel.harness.workload;

import dev.keel.linearizability.edn.EdnReader;
import dev.keel.linearizability.edn.Keyword;
import dev.keel.linearizability.edn.Located;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The run times of a recorded history's events. The checker's operations carry logical times (each event's
 * {@code :index}); headlines want the run time ({@code :time}, nanoseconds since the run began), so this maps
 * one to the other, read from the same EDN text the checker read.
 */
public final class EventTimes {
    private static final Keyword INDEX = Keyword.of("index");
    private static final Keyword TIME = Keyword.of("time");

    private final Map<Long, Long> nanosByIndex;

    private EventTimes(Map<Long, Long> nanosByIndex) {
        this.nanosByIndex = nanosByIndex;
    }

    /**
     * @param edn a history as {@link dev.keel.harness.client.Recorder#edn()} writes it
     * @return the {@code :time} of every event that has both {@code :index} and {@code :time}
     */
    public static EventTimes of(String edn) {
        Map<Long, Long> times = new HashMap<>();
        for (Located event : EdnReader.readSequence(edn)) {
            if (event.value() instanceof Map<?, ?> map && map.get(INDEX) instanceof Long index
                    && map.get(TIME) instanceof Long nanos) {
                times.put(index, nanos);
            }
        }
        return new EventTimes(times);
    }

    /**
     * @param index an event's {@code :index} (an operation's invoke or complete time in the checker)
     * @return its run time as {@code +12.4s}, or {@code #index} when the history has no time for it
     */
    public String at(long index) {
        Long nanos = nanosByIndex.get(index);
        return nanos == null ? "#" + index : format(nanos);
    }

    /** @return {@code nanos} since the run began as {@code +12.4s} */
    public static String format(long nanos) {
        return String.format(Locale.ROOT, "+%.1fs", nanos / 1e9);
    }
}
