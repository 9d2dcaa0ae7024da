package dev.keel.harness.nemesis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * A fault in force: what its step did so far, as the undo actions its heal runs. Each action is registered as
 * soon as the thing it undoes is done, so a fault that fails half-way (one of two kills went through) heals
 * exactly what happened. Used by the nemesis thread only.
 */
final class ActiveFault {
    private final FaultStep step;
    private final Deque<Supplier<String>> undo = new ArrayDeque<>();

    ActiveFault(FaultStep step) {
        this.step = step;
    }

    FaultStep step() {
        return step;
    }

    /** Registers what the heal does; {@code action} returns what it did, for the log. */
    void onHeal(Supplier<String> action) {
        undo.push(action);
    }

    /**
     * Runs the undo actions, newest first; every one runs even when an earlier one throws.
     *
     * @return what was done, and the first error (null when none)
     */
    HealResult heal() {
        List<String> done = new ArrayList<>();
        RuntimeException firstError = null;
        while (!undo.isEmpty()) {
            try {
                done.add(undo.pop().get());
            } catch (RuntimeException e) {
                done.add("failed: " + e.getMessage());
                firstError = firstError == null ? e : firstError;
            }
        }
        return new HealResult(done.isEmpty() ? "nothing to undo" : String.join(", ", done), firstError);
    }

    /** What a heal did; {@code error} is null when every undo action succeeded. */
    record HealResult(String description, RuntimeException error) {
    }
}
