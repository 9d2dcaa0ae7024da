package dev.keel.harness.workload.watch;

/**
 * A write the cluster acknowledged: it must appear in every watcher's sequence.
 *
 * @param key         the key
 * @param type        {@code PUT} or {@code DELETE} (a delete only when it removed something)
 * @param value       the value put ({@code null} for a delete)
 * @param revision    the revision the response header named
 * @param ackedNanos  when the answer arrived, on the run's clock
 */
public record AckedChange(String key, String type, String value, long revision, long ackedNanos) {
    /** @return whether {@code event} is this change */
    public boolean matches(WatchEvent event) {
        return event.modRevision() == revision && event.key().equals(key) && event.type().equals(type)
                && java.util.Objects.equals(event.value(), value);
    }

    /** @return a short text for headlines */
    public String describe() {
        return type + " " + key + (value == null ? "" : "=" + value) + "@" + revision;
    }
}
