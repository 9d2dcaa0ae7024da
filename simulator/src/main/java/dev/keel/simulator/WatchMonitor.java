package dev.keel.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's record of watch events on the workload prefix, revision by revision, from whichever replica
 * applied a revision first; later replicas must produce the same events. Every client stream is then checked
 * against it: from its start revision on, the stream's events must be exactly the recorded ones, in order,
 * without gaps or duplicates (a stream may end early, never skip).
 */
final class WatchMonitor {
    /** Every recorded event, in revision order: {revision, key, type, value}. */
    private final List<long[]> events = new ArrayList<>();
    private final List<Long> revisionStarts = new ArrayList<>();
    private final List<Long> revisions = new ArrayList<>();
    private final List<WatchStream> streams = new ArrayList<>();

    void onReference(long node, long revision, List<long[]> revisionEvents) {
        long last = revisions.isEmpty() ? 0 : revisions.get(revisions.size() - 1);
        if (revision > last) {
            revisions.add(revision);
            revisionStarts.add((long) events.size());
            for (long[] e : revisionEvents) {
                events.add(e.clone());
            }
            return;
        }
        int at = java.util.Collections.binarySearch(revisions, revision);
        if (at < 0) {
            return; // a revision no replica reported when it was new (all of them restored past it)
        }
        int from = (int) (long) revisionStarts.get(at);
        int to = at + 1 < revisions.size() ? (int) (long) revisionStarts.get(at + 1) : events.size();
        boolean same = to - from == revisionEvents.size();
        for (int i = 0; same && i < revisionEvents.size(); i++) {
            same = java.util.Arrays.equals(events.get(from + i), revisionEvents.get(i));
        }
        if (!same) {
            StringBuilder mine = new StringBuilder();
            revisionEvents.forEach(e -> mine.append(' ').append(WatchStream.describe(e)));
            StringBuilder theirs = new StringBuilder();
            events.subList(from, to).forEach(e -> theirs.append(' ').append(WatchStream.describe(e)));
            throw new SimulationFailure("watch events", "node " + node + " produced different events for revision "
                    + revision + " than another replica:" + mine + " vs" + theirs);
        }
    }

    void register(WatchStream stream) {
        streams.add(stream);
    }

    /** Checks every stream against the record. */
    void checkStreams() {
        for (WatchStream stream : streams) {
            int i = firstEventAtOrAfter(stream.startRevision);
            for (long[] got : stream.events) {
                if (i >= events.size()) {
                    break; // the record ends before the stream (revisions seen only by a replica that died)
                }
                long[] expected = events.get(i);
                if (!java.util.Arrays.equals(expected, got)) {
                    throw new SimulationFailure("watch stream", stream + ": expected " + WatchStream.describe(expected)
                            + " but got " + WatchStream.describe(got) + " (a gap, a duplicate or out of order)");
                }
                i++;
            }
        }
    }

    int streamCount() {
        return streams.size();
    }

    long eventCount() {
        return events.size();
    }

    private int firstEventAtOrAfter(long revision) {
        int lo = 0;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid)[0] < revision) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
