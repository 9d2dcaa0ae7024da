package dev.keel.harness.workload.set;

import dev.keel.harness.workload.WorkloadResult.Outcome;
import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.edn.Keyword;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;

/**
 * What {@link SetChecker} concluded, with the counts Jepsen's {@code checker/set} reports.
 *
 * @param outcome       pass, fail, or unknown (no final read succeeded)
 * @param headline      one sentence: what was verified, or the first lost or unexpected element
 * @param attempted     adds invoked
 * @param acknowledged  adds that completed {@code :ok}
 * @param indeterminate adds that completed {@code :info} or never completed
 * @param recovered     indeterminate adds present in the final read
 * @param lost          acknowledged adds missing from the final read
 * @param unexpected    elements of the final read no add ever attempted
 * @param failedPresent adds that completed {@code :fail} (etcd said they did not happen) yet are in the read
 */
public record SetVerdict(Outcome outcome, String headline, long attempted, long acknowledged, long indeterminate,
                         long recovered, SortedSet<Object> lost, SortedSet<Object> unexpected,
                         SortedSet<Object> failedPresent) {
    /** @return the verdict as an EDN map in the spirit of Jepsen's set checker result */
    public String edn() {
        Map<Keyword, Object> map = new LinkedHashMap<>();
        map.put(Keyword.of("valid?"), outcome == Outcome.UNKNOWN ? Keyword.of("unknown") : outcome == Outcome.PASS);
        map.put(Keyword.of("attempt-count"), attempted);
        map.put(Keyword.of("ok-count"), acknowledged);
        map.put(Keyword.of("indeterminate-count"), indeterminate);
        map.put(Keyword.of("recovered-count"), recovered);
        map.put(Keyword.of("lost-count"), (long) lost.size());
        map.put(Keyword.of("lost"), lost);
        map.put(Keyword.of("unexpected-count"), (long) unexpected.size());
        map.put(Keyword.of("unexpected"), unexpected);
        map.put(Keyword.of("failed-present"), failedPresent);
        map.put(Keyword.of("headline"), headline);
        return EdnWriter.write(map) + "\n";
    }
}
