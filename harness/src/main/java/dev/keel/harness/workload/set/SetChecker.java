package dev.keel.harness.workload.set;

import dev.keel.harness.workload.EventTimes;
import dev.keel.harness.workload.WorkloadResult.Outcome;
import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.JepsenEdn;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Jepsen's {@code checker/set} over a set history: {@code :add n} operations and a final {@code :read} whose
 * {@code :ok} value is the set of elements present. An acknowledged add missing from the read is lost; an
 * element no add attempted is unexpected; indeterminate adds may be present or not. Stricter than Jepsen in one
 * way: an add etcd refused ({@code :fail}) that is present anyway also fails the check, since the harness records
 * {@code :fail} only when etcd's answer proves the write did not happen. Pure: it sees only the EDN text.
 */
public final class SetChecker {
    /** Integers in numeric order first, anything else after them by its EDN text. */
    static final Comparator<Object> ELEMENT_ORDER = Comparator
            .comparing((Object e) -> !(e instanceof Long))
            .thenComparing((a, b) -> a instanceof Long x && b instanceof Long y
                    ? Long.compare(x, y) : EdnWriter.write(a).compareTo(EdnWriter.write(b)));

    private SetChecker() {
    }

    /**
     * @param edn the history as the recorder wrote it, final read included
     * @return the verdict; unknown when no final read succeeded
     * @throws IllegalArgumentException if an operation's value has the wrong shape
     */
    public static SetVerdict check(String edn) {
        History history = JepsenEdn.read(edn);
        EventTimes times = EventTimes.of(edn);
        Map<Object, Operation> adds = new HashMap<>();
        Operation finalRead = null;
        for (Operation op : history.operations()) {
            switch (op.f()) {
                case "add" -> adds.put(op.input(), op);
                case "read" -> {
                    if (op.type() == OpType.OK && (finalRead == null || op.completeTime() > finalRead.completeTime())) {
                        finalRead = op;
                    }
                }
                default -> throw new IllegalArgumentException("a set history has :add and :read, not :" + op.f());
            }
        }
        return judge(adds, finalRead, times);
    }

    private static SetVerdict judge(Map<Object, Operation> adds, Operation finalRead, EventTimes times) {
        long acknowledged = adds.values().stream().filter(op -> op.type() == OpType.OK).count();
        long indeterminate = adds.values().stream().filter(op -> op.type() == OpType.INFO).count();
        if (finalRead == null) {
            return new SetVerdict(Outcome.UNKNOWN, "no final read succeeded, so the " + acknowledged
                    + " acknowledged adds could not be checked", adds.size(), acknowledged, indeterminate, 0,
                    sorted(), sorted(), sorted());
        }
        Set<Object> present = elements(finalRead);
        SortedSet<Object> lost = sorted();
        SortedSet<Object> failedPresent = sorted();
        long recovered = 0;
        for (Operation add : adds.values()) {
            boolean there = present.contains(add.input());
            switch (add.type()) {
                case OK -> {
                    if (!there) {
                        lost.add(add.input());
                    }
                }
                case INFO -> recovered += there ? 1 : 0;
                case FAIL -> {
                    if (there) {
                        failedPresent.add(add.input());
                    }
                }
                default -> throw new IllegalStateException("unknown type " + add.type());
            }
        }
        SortedSet<Object> unexpected = sorted();
        present.stream().filter(e -> !adds.containsKey(e)).forEach(unexpected::add);
        String headline = headline(adds, finalRead, times, lost, unexpected, failedPresent, acknowledged,
                indeterminate, recovered);
        Outcome outcome = lost.isEmpty() && unexpected.isEmpty() && failedPresent.isEmpty()
                ? Outcome.PASS : Outcome.FAIL;
        return new SetVerdict(outcome, headline, adds.size(), acknowledged, indeterminate, recovered, lost,
                unexpected, failedPresent);
    }

    private static String headline(Map<Object, Operation> adds, Operation read, EventTimes times,
                                   SortedSet<Object> lost, SortedSet<Object> unexpected,
                                   SortedSet<Object> failedPresent, long acknowledged, long indeterminate,
                                   long recovered) {
        String readAt = "the final read (" + times.at(read.completeTime()) + ")";
        if (!lost.isEmpty()) {
            Operation first = lost.stream().map(adds::get)
                    .min(Comparator.comparingLong(Operation::completeTime)).orElseThrow();
            return "add of " + EdnWriter.write(first.input()) + " was acknowledged at "
                    + times.at(first.completeTime()) + " but is missing from " + readAt
                    + (lost.size() > 1 ? "; " + lost.size() + " of " + acknowledged + " acknowledged adds are lost"
                    : "");
        }
        if (!unexpected.isEmpty()) {
            return readAt + " holds "
                    + EdnWriter.write(unexpected.first()) + ", which no client ever added"
                    + (unexpected.size() > 1 ? " (" + unexpected.size() + " such elements)" : "");
        }
        if (!failedPresent.isEmpty()) {
            Operation first = adds.get(failedPresent.first());
            return "add of " + EdnWriter.write(first.input()) + " failed at " + times.at(first.completeTime())
                    + " (" + first.error() + ") yet is present in " + readAt
                    + (failedPresent.size() > 1 ? " (" + failedPresent.size() + " such adds)" : "");
        }
        return "all " + acknowledged + " acknowledged adds present in " + readAt + " (" + recovered + " of "
                + indeterminate + " indeterminate adds also landed)";
    }

    private static Set<Object> elements(Operation read) {
        if (!(read.output() instanceof Collection<?> values)) {
            throw new IllegalArgumentException("the final read should return a set of elements, not "
                    + EdnWriter.write(read.output()));
        }
        return new HashSet<>(values);
    }

    private static SortedSet<Object> sorted() {
        return new TreeSet<>(ELEMENT_ORDER);
    }
}
