package dev.keel.harness.workload.watch;

import dev.keel.linearizability.edn.Keyword;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event a watcher received.
 *
 * @param watcher        who received it ({@code 0}, {@code 1}, ... or {@code reference})
 * @param headerRevision the revision in the header of the response that carried it
 * @param key            the key
 * @param type           {@code PUT} or {@code DELETE}
 * @param value          the value put ({@code null} for a delete)
 * @param modRevision    the revision of the change
 * @param receivedNanos  when it arrived, on the run's clock
 */
public record WatchEvent(String watcher, long headerRevision, String key, String type, String value,
                         long modRevision, long receivedNanos) {
    /** @return whether {@code other} describes the same change (who received it and when aside) */
    public boolean sameChange(WatchEvent other) {
        return modRevision == other.modRevision && key.equals(other.key) && type.equals(other.type)
                && java.util.Objects.equals(value, other.value);
    }

    /** @return a short text for headlines: {@code PUT /k=v@12} */
    public String describe() {
        return type + " " + key + (value == null ? "" : "=" + value) + "@" + modRevision;
    }

    /** @return the event as an EDN map for {@code watch-events.edn} */
    public Map<Keyword, Object> edn() {
        Map<Keyword, Object> m = new LinkedHashMap<>();
        m.put(Keyword.of("watcher"), watcher);
        m.put(Keyword.of("revision"), headerRevision);
        m.put(Keyword.of("key"), key);
        m.put(Keyword.of("type"), Keyword.of(type.toLowerCase(java.util.Locale.ROOT)));
        m.put(Keyword.of("value"), value);
        m.put(Keyword.of("mod-revision"), modRevision);
        m.put(Keyword.of("time"), receivedNanos);
        return m;
    }
}
