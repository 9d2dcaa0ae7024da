package dev.keel.harness.nemesis;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One fault period of a {@link FaultSchedule}: what to do, when, and the random choices drawn for it. Member
 * choices are indices into the cluster's member list at the moment the step runs (taken modulo its size, so a
 * schedule stays usable after membership changes); targets such as "the leader" are not stored at all but
 * resolved when the step runs.
 *
 * @param startMillis    when the fault begins, on the run's clock
 * @param durationMillis how long it lasts before it is healed
 * @param kind           which fault
 * @param picks          member indices, by kind: a permutation of all members for {@code majority-minority},
 *                       {@code bridge}, {@code ring} and {@code kill-majority} (the order the split is cut from);
 *                       {@code from, to} pairs of links for {@code delay} and {@code drop}; one index for
 *                       {@code kill-random}, {@code pause-random}, {@code clock-*} and {@code replace-member}
 *                       (among the non-leaders); one index per move for {@code transfer-leader} (among the members
 *                       other than the leader); empty for the leader-targeted kinds
 * @param amount         the kind's magnitude: milliseconds of delay, percent dropped, signed milliseconds of a
 *                       clock jump, a drift rate in thousandths, 1 for one-way inbound (0 outbound), or the number
 *                       of leader moves; 0 otherwise
 */
public record FaultStep(long startMillis, long durationMillis, FaultKind kind, List<Integer> picks, long amount) {
    /** Checks the step is well-formed. */
    public FaultStep {
        if (startMillis < 0 || durationMillis <= 0) {
            throw new IllegalArgumentException("a fault needs start >= 0 and duration > 0, got start "
                    + startMillis + " ms, duration " + durationMillis + " ms");
        }
        if (kind == null) {
            throw new IllegalArgumentException("a fault needs a kind");
        }
        picks = List.copyOf(picks);
        if (picks.stream().anyMatch(p -> p < 0)) {
            throw new IllegalArgumentException("member indices are >= 0, got " + picks);
        }
    }

    /** @return when it is healed, on the run's clock */
    public long endMillis() {
        return startMillis + durationMillis;
    }

    /** @return one line, e.g. {@code +12.3s  fault 4.0s  delay 230ms on #0->#2} */
    public String describe() {
        return String.format(Locale.ROOT, "%+.1fs  fault %.1fs  %s", startMillis / 1000.0, durationMillis / 1000.0,
                kind.printName() + parameters());
    }

    private String parameters() {
        return switch (kind) {
            case MAJORITY_MINORITY, BRIDGE, RING, KILL_MAJORITY -> " order " + indices();
            case DELAY -> " " + amount + "ms on " + links();
            case DROP -> " " + amount + "% on " + links();
            case ONE_WAY -> amount == 1 ? " inbound" : " outbound";
            case KILL_RANDOM, PAUSE_RANDOM, REPLACE_MEMBER -> " " + indices();
            case CLOCK_JUMP -> String.format(Locale.ROOT, " %+.1fs on %s", amount / 1000.0, indices());
            case CLOCK_DRIFT -> String.format(Locale.ROOT, " x%.2f on %s", amount / 1000.0, indices());
            case ISOLATE_SLOW_LEADER -> String.format(Locale.ROOT, " x%.2f", amount / 1000.0);
            case TRANSFER_LEADER -> " " + amount + " moves";
            case ISOLATE_LEADER, KILL_LEADER, PAUSE_LEADER -> "";
        };
    }

    private String indices() {
        return picks.stream().map(i -> "#" + i).collect(Collectors.joining(","));
    }

    private String links() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i + 1 < picks.size(); i += 2) {
            out.append(i == 0 ? "" : " ").append('#').append(picks.get(i)).append("->#").append(picks.get(i + 1));
        }
        return out.toString();
    }
}
