package dev.keel.harness.workload.watch;

import dev.keel.harness.workload.support.Verdict;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Judges watch streams: every watcher's events, up to the final revision, must be exactly the reference's —
 * every change present (no gap), none twice, in revision order, with the same values — and every acknowledged
 * write must be in the reference at the revision its answer named.
 */
public final class WatchChecker {
    private static final Comparator<WatchEvent> ORDER =
            Comparator.comparingLong(WatchEvent::modRevision).thenComparing(WatchEvent::key);

    private WatchChecker() {
    }

    /** @return the verdict, naming the first divergence on failure */
    public static Verdict check(WatchObservation o) {
        if (!o.problems().isEmpty()) {
            return Verdict.fail(o.problems().get(0) + ", though no compaction runs in the harness.");
        }
        if (!o.referenceComplete()) {
            return Verdict.unknown("The reference watcher could not reach revision " + o.finalRevision()
                    + " on any member, so the watchers were not compared.");
        }
        List<WatchEvent> reference = upTo(o.reference(), o.finalRevision());
        String broken = sequenceFault("the reference watcher", reference);
        if (broken != null) {
            return Verdict.fail(broken + ".");
        }
        String missing = missingAck(o.acked(), reference);
        if (missing != null) {
            return Verdict.fail(missing);
        }
        for (Map.Entry<String, List<WatchEvent>> w : new TreeMap<>(o.watchers()).entrySet()) {
            String fault = divergence("watcher " + w.getKey(), upTo(w.getValue(), o.finalRevision()), reference,
                    o.reachedFinal().contains(w.getKey()));
            if (fault != null) {
                return Verdict.fail(fault);
            }
        }
        return Verdict.pass(o.watchers().size() + " watchers each saw all " + reference.size()
                + " changes of revisions " + o.startRevision() + ".." + o.finalRevision()
                + " once, in order, without gaps, as the reference did; all " + o.acked().size()
                + " acknowledged writes are there at the revisions their answers named.");
    }

    private static List<WatchEvent> upTo(List<WatchEvent> events, long finalRevision) {
        return events.stream().filter(e -> e.modRevision() <= finalRevision).toList();
    }

    /** @return why a sequence is out of order or repeats a change, or null */
    private static String sequenceFault(String who, List<WatchEvent> events) {
        for (int i = 1; i < events.size(); i++) {
            int c = ORDER.compare(events.get(i - 1), events.get(i));
            if (c == 0) {
                return who + " got " + events.get(i).describe() + " twice";
            }
            if (c > 0) {
                return who + " got " + events.get(i).describe() + " after " + events.get(i - 1).describe()
                        + ", out of revision order";
            }
        }
        return null;
    }

    private static String missingAck(List<AckedChange> acked, List<WatchEvent> reference) {
        for (AckedChange a : acked) {
            WatchEvent at = reference.stream().filter(e -> e.modRevision() == a.revision()
                    && e.key().equals(a.key())).findFirst().orElse(null);
            if (at == null) {
                return String.format("The acknowledged %s (answered at +%.1fs) is missing from the reference watch.",
                        a.describe(), a.ackedNanos() / 1e9);
            }
            if (!a.matches(at)) {
                return "The acknowledged " + a.describe() + " shows in the reference watch as " + at.describe() + ".";
            }
        }
        return null;
    }

    /** @return the first place {@code got} departs from {@code reference}, or null */
    private static String divergence(String who, List<WatchEvent> got, List<WatchEvent> reference, boolean reached) {
        int j = 0;
        for (int i = 0; i < got.size(); i++) {
            WatchEvent g = got.get(i);
            if (i > 0 && ORDER.compare(got.get(i - 1), g) >= 0) {
                return sequenceFault(who, got.subList(0, i + 1)) + String.format(" (at +%.1fs).", g.receivedNanos() / 1e9);
            }
            if (j >= reference.size()) {
                return who + " got " + g.describe() + ", which the reference watch does not have.";
            }
            WatchEvent expected = reference.get(j);
            int c = ORDER.compare(g, expected);
            if (c == 0 && !g.sameChange(expected)) {
                return who + " at revision " + g.modRevision() + ": expected " + expected.describe() + ", got "
                        + g.describe() + ".";
            }
            if (c > 0) {
                return who + " missed revision " + expected.modRevision() + ": expected " + expected.describe()
                        + ", got " + g.describe() + " next.";
            }
            if (c < 0) {
                return who + " got " + g.describe() + ", which the reference watch does not have (expected "
                        + expected.describe() + ").";
            }
            j++;
        }
        if (j < reference.size()) {
            WatchEvent expected = reference.get(j);
            return who + (reached ? " ended" : " never caught up; it ended") + " without revision "
                    + expected.modRevision() + ": expected " + expected.describe() + ", got nothing"
                    + (got.isEmpty() ? "" : " after " + got.get(got.size() - 1).describe()) + ".";
        }
        return null;
    }
}
