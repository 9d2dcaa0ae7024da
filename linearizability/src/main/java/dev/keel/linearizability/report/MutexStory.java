package dev.keel.linearizability.report;

import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import java.util.List;

/**
 * Explains a mutex failure in plain words: an acquire that succeeded while another process certainly held the
 * lock, or a release that succeeded while the lock was certainly free.
 */
final class MutexStory {
    private MutexStory() {
    }

    /** @return one sentence (no full stop), or {@code null} if neither simple story holds */
    static String explain(Operation op, List<Operation> ops, String where) {
        if (op.type() != OpType.OK) {
            return null;
        }
        boolean acquire = op.f().equals("acquire");
        // The last lock operation that certainly came before op: it completed before op was invoked.
        Operation before = null;
        for (Operation other : ops) {
            if (other != op && other.type() == OpType.OK && other.completeTime() < op.invokeTime()
                    && (before == null || other.completeTime() > before.completeTime())) {
                before = other;
            }
        }
        if (before == null || before.f().equals("acquire") != acquire) {
            return null;
        }
        // Anything else that could have happened in between (overlapping, or never answered) spoils the story.
        for (Operation other : ops) {
            boolean between = other != op && other != before && other.type() != OpType.FAIL
                    && other.invokeTime() <= op.completeTime() && (other.type() == OpType.INFO
                    || other.completeTime() >= before.completeTime());
            if (between && !other.f().equals(op.f())) {
                return null;
            }
        }
        String name = (acquire ? "acquire" : "release") + where + " by process " + op.process();
        return acquire
                ? name + " succeeded (completed at " + op.completeTime() + ") although process " + before.process()
                        + " held the lock: it acquired it at " + before.completeTime()
                        + " and no release could have happened in between"
                : name + " succeeded (completed at " + op.completeTime() + ") although the lock was free: process "
                        + before.process() + " released it at " + before.completeTime()
                        + " and no acquire could have happened in between";
    }
}
