package dev.keel.harness.workload.watch;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the watch checker judges.
 *
 * @param startRevision     the revision every watcher started from
 * @param finalRevision     the store's revision after the writers stopped
 * @param reference         the events of a fresh watcher from the start to the final revision on a healthy member
 * @param referenceComplete whether that fresh watcher reached the final revision
 * @param watchers          each watcher's events in arrival order, by watcher name
 * @param reachedFinal      the watchers that reached the final revision
 * @param acked             the writes the cluster acknowledged
 * @param problems          errors that are failures by themselves (a compacted answer: no compaction runs)
 */
public record WatchObservation(long startRevision, long finalRevision, List<WatchEvent> reference,
                               boolean referenceComplete, Map<String, List<WatchEvent>> watchers,
                               Set<String> reachedFinal, List<AckedChange> acked, List<String> problems) {
}
