package dev.keel.harness.workload.watch;

import dev.keel.harness.workload.WorkloadResult.Outcome;
import dev.keel.harness.workload.support.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WatchCheckerTest {
    private static WatchEvent put(String who, String key, String value, long revision) {
        return new WatchEvent(who, revision, key, "PUT", value, revision, revision * 1_000_000L);
    }

    private static WatchEvent delete(String who, String key, long revision) {
        return new WatchEvent(who, revision, key, "DELETE", null, revision, revision * 1_000_000L);
    }

    private static List<WatchEvent> changes(String who) {
        return List.of(put(who, "/a", "1", 10), put(who, "/b", "2", 11), delete(who, "/a", 13), put(who, "/a", "3", 14));
    }

    private static final List<AckedChange> ACKED = List.of(new AckedChange("/a", "PUT", "1", 10, 5),
            new AckedChange("/a", "DELETE", null, 13, 6));

    private static Verdict check(List<WatchEvent> watcher0, List<AckedChange> acked, List<String> problems) {
        return WatchChecker.check(new WatchObservation(10, 15, changes("reference"), true,
                Map.of("0", watcher0, "1", changes("1")), Set.of("0", "1"), acked, problems));
    }

    @Test
    void identicalGapFreeSequencesPass() {
        Verdict v = check(changes("0"), ACKED, List.of());
        assertEquals(Outcome.PASS, v.outcome(), v.headline());
        assertEquals("2 watchers each saw all 4 changes of revisions 10..15 once, in order, without gaps, as the "
                + "reference did; all 2 acknowledged writes are there at the revisions their answers named.", v.headline());
    }

    @Test
    void eventsAfterTheFinalRevisionAreIgnored() {
        List<WatchEvent> more = new ArrayList<>(changes("0"));
        more.add(put("0", "/z", "9", 20));
        assertEquals(Outcome.PASS, check(more, ACKED, List.of()).outcome());
    }

    @Test
    void aMissedRevisionIsAGap() {
        List<WatchEvent> gap = new ArrayList<>(changes("0"));
        gap.remove(1);
        assertEquals("watcher 0 missed revision 11: expected PUT /b=2@11, got DELETE /a@13 next.",
                check(gap, ACKED, List.of()).headline());
    }

    @Test
    void aRepeatedEventIsADuplicate() {
        List<WatchEvent> twice = new ArrayList<>(changes("0"));
        twice.add(2, put("0", "/b", "2", 11));
        Verdict v = check(twice, ACKED, List.of());
        assertEquals(Outcome.FAIL, v.outcome());
        assertEquals("watcher 0 got PUT /b=2@11 twice (at +0.0s).", v.headline());
    }

    @Test
    void aDifferentValueNamesExpectedAndGot() {
        List<WatchEvent> wrong = new ArrayList<>(changes("0"));
        wrong.set(3, put("0", "/a", "7", 14));
        assertEquals("watcher 0 at revision 14: expected PUT /a=3@14, got PUT /a=7@14.",
                check(wrong, ACKED, List.of()).headline());
    }

    @Test
    void aWatcherThatStoppedShortIsMissingTheRest() {
        Verdict v = WatchChecker.check(new WatchObservation(10, 15, changes("reference"), true,
                Map.of("0", changes("0").subList(0, 2)), Set.of(), ACKED, List.of()));
        assertEquals("watcher 0 never caught up; it ended without revision 13: expected DELETE /a@13, got nothing "
                + "after PUT /b=2@11.", v.headline());
    }

    @Test
    void anAckedWriteMissingFromTheReferenceFails() {
        List<AckedChange> acked = List.of(new AckedChange("/c", "PUT", "5", 12, 3_200_000_000L));
        Verdict v = check(changes("0"), acked, List.of());
        assertEquals("The acknowledged PUT /c=5@12 (answered at +3.2s) is missing from the reference watch.",
                v.headline());
    }

    @Test
    void anAckedWriteWithAnotherValueFails() {
        List<AckedChange> acked = List.of(new AckedChange("/b", "PUT", "5", 11, 0));
        assertEquals("The acknowledged PUT /b=5@11 shows in the reference watch as PUT /b=2@11.",
                check(changes("0"), acked, List.of()).headline());
    }

    @Test
    void aCompactedAnswerFails() {
        Verdict v = check(changes("0"), ACKED, List.of("watcher 2 was told revision 12 is compacted (to 12) by m1"));
        assertEquals(Outcome.FAIL, v.outcome());
        assertEquals("watcher 2 was told revision 12 is compacted (to 12) by m1, though no compaction runs in the "
                + "harness.", v.headline());
    }

    @Test
    void anIncompleteReferenceIsUnknown() {
        Verdict v = WatchChecker.check(new WatchObservation(10, 15, List.of(), false, Map.of("0", changes("0")),
                Set.of("0"), ACKED, List.of()));
        assertEquals(Outcome.UNKNOWN, v.outcome());
    }
}
