package dev.keel.harness.nemesis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * When a run injects which fault: quiet periods (1 to 2.5 s) alternating with fault periods (2 to 4.5 s), so a
 * 40 to 60 s run sees about 8 to 12 faults. Drawn from a seed with {@link SplittableRandom}: the same arguments
 * always give the same schedule, which {@link #describe()} prints so a failing run can be told apart and redone.
 * Immutable.
 */
public final class FaultSchedule {
    static final long QUIET_MIN_MILLIS = 1_000;
    static final long QUIET_MAX_MILLIS = 2_500;
    static final long FAULT_MIN_MILLIS = 2_000;
    static final long FAULT_MAX_MILLIS = 4_500;

    private final List<FaultStep> steps;

    private FaultSchedule(List<FaultStep> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * Draws a schedule from {@code seed}: alternating fault and quiet periods over {@code durationMillis}, each
     * fault of one of {@code families} (a family first, uniformly, then one of its kinds that fits
     * {@code members}). The same arguments always give the same schedule; no families give an empty one.
     *
     * @throws IllegalArgumentException when no kind of the families fits a cluster of {@code members}, or the
     *                                  numbers are out of range
     */
    public static FaultSchedule draw(long seed, Set<FaultFamily> families, long durationMillis, int members) {
        Set<FaultKind> kinds = java.util.EnumSet.noneOf(FaultKind.class);
        for (FaultKind kind : FaultKind.values()) {
            if (families.contains(kind.family())) {
                kinds.add(kind);
            }
        }
        return drawKinds(seed, kinds, durationMillis, members);
    }

    /**
     * As {@link #draw}, from the given kinds only (e.g. {@code isolate-leader} alone): each step picks one of
     * their families, then one of the kinds of that family. With every kind of some families it is
     * {@link #draw} of those families.
     */
    public static FaultSchedule drawKinds(long seed, Set<FaultKind> chosen, long durationMillis, int members) {
        Set<FaultFamily> families = java.util.EnumSet.noneOf(FaultFamily.class);
        chosen.forEach(k -> families.add(k.family()));
        if (durationMillis < 0 || members < 1 || members > 7) {
            throw new IllegalArgumentException("need duration >= 0 and 1 to 7 members, got " + durationMillis
                    + " ms, " + members + " members");
        }
        List<List<FaultKind>> kindsByFamily = applicableKinds(chosen, members);
        if (kindsByFamily.isEmpty()) {
            if (families.isEmpty()) {
                return new FaultSchedule(List.of());
            }
            throw new IllegalArgumentException("no fault of " + chosen + " fits a cluster of " + members
                    + " members");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<FaultStep> steps = new ArrayList<>();
        long time = 0;
        while (true) {
            long quiet = random.nextLong(QUIET_MIN_MILLIS, QUIET_MAX_MILLIS + 1);
            long fault = random.nextLong(FAULT_MIN_MILLIS, FAULT_MAX_MILLIS + 1);
            if (time + quiet + fault > durationMillis) {
                break;
            }
            List<FaultKind> kinds = kindsByFamily.get(random.nextInt(kindsByFamily.size()));
            FaultKind kind = kinds.get(random.nextInt(kinds.size()));
            steps.add(drawStep(random, time + quiet, fault, kind, members));
            time += quiet + fault;
        }
        return new FaultSchedule(steps);
    }

    /**
     * A schedule of exactly {@code steps}, for tests and replays.
     *
     * @throws IllegalArgumentException when the steps overlap or are out of order
     */
    public static FaultSchedule of(List<FaultStep> steps) {
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).startMillis() < steps.get(i - 1).endMillis()) {
                throw new IllegalArgumentException("step " + i + " (" + steps.get(i).describe()
                        + ") starts before step " + (i - 1) + " ends");
            }
        }
        return new FaultSchedule(steps);
    }

    /** @return the steps in the order they run */
    public List<FaultStep> steps() {
        return steps;
    }

    /** @return the schedule, one line per step, for printing and for the run's folder */
    public String describe() {
        if (steps.isEmpty()) {
            return "no faults\n";
        }
        StringBuilder out = new StringBuilder();
        for (FaultStep step : steps) {
            out.append(step.describe()).append('\n');
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FaultSchedule that && steps.equals(that.steps);
    }

    @Override
    public int hashCode() {
        return steps.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }

    private static List<List<FaultKind>> applicableKinds(Set<FaultKind> chosen, int members) {
        List<List<FaultKind>> byFamily = new ArrayList<>();
        for (FaultFamily family : FaultFamily.values()) {
            List<FaultKind> kinds = Arrays.stream(FaultKind.values())
                    .filter(k -> k.family() == family && chosen.contains(k) && members >= k.minMembers())
                    .toList();
            if (!kinds.isEmpty()) {
                byFamily.add(kinds);
            }
        }
        return byFamily;
    }

    private static FaultStep drawStep(SplittableRandom random, long start, long duration, FaultKind kind,
                                      int members) {
        return switch (kind) {
            case MAJORITY_MINORITY, BRIDGE, RING, KILL_MAJORITY ->
                    new FaultStep(start, duration, kind, permutation(random, members), 0);
            case DELAY -> new FaultStep(start, duration, kind, links(random, members), random.nextLong(50, 501));
            case DROP -> new FaultStep(start, duration, kind, links(random, members), random.nextLong(10, 51));
            case ONE_WAY -> new FaultStep(start, duration, kind, List.of(), random.nextInt(2));
            case KILL_RANDOM, PAUSE_RANDOM, CLOCK_DRIFT, CLOCK_JUMP, REPLACE_MEMBER -> {
                List<Integer> target = List.of(random.nextInt(members));
                long amount = switch (kind) {
                    case CLOCK_JUMP -> (random.nextBoolean() ? 1 : -1) * random.nextLong(1_000, 10_001);
                    case CLOCK_DRIFT -> random.nextLong(500, 2_001);
                    default -> 0;
                };
                yield new FaultStep(start, duration, kind, target, amount);
            }
            case ISOLATE_SLOW_LEADER -> new FaultStep(start, duration, kind, List.of(), random.nextLong(300, 501));
            case TRANSFER_LEADER -> {
                int moves = random.nextInt(2, 5);
                List<Integer> targets = new ArrayList<>();
                for (int i = 0; i < moves; i++) {
                    targets.add(random.nextInt(members));
                }
                yield new FaultStep(start, duration, kind, targets, moves);
            }
            case ISOLATE_LEADER, KILL_LEADER, PAUSE_LEADER -> new FaultStep(start, duration, kind, List.of(), 0);
        };
    }

    private static List<Integer> permutation(SplittableRandom random, int members) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            order.add(i);
        }
        // Fisher-Yates with the schedule's own random, so the order is seed-stable (Collections.shuffle's is not).
        for (int i = members - 1; i > 0; i--) {
            Collections.swap(order, i, random.nextInt(i + 1));
        }
        return order;
    }

    /** Every directed link with probability one half, at least one. */
    private static List<Integer> links(SplittableRandom random, int members) {
        List<Integer> pairs = new ArrayList<>();
        for (int from = 0; from < members; from++) {
            for (int to = 0; to < members; to++) {
                if (from != to && random.nextBoolean()) {
                    pairs.add(from);
                    pairs.add(to);
                }
            }
        }
        if (pairs.isEmpty()) {
            int from = random.nextInt(members);
            pairs.add(from);
            pairs.add((from + 1 + random.nextInt(members - 1)) % members);
        }
        return pairs;
    }
}
