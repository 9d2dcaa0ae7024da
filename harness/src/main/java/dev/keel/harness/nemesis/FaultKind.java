package dev.keel.harness.nemesis;

/**
 * One concrete fault a {@link FaultSchedule} step performs, by the name the schedule and the logs print. Each
 * belongs to one {@link FaultFamily} and needs a smallest cluster to make sense (a ring needs three members).
 */
public enum FaultKind {
    /** Splits the members into a minority and a majority that cannot reach each other. */
    MAJORITY_MINORITY("majority-minority", FaultFamily.PARTITION, 3),
    /** Cuts the leader (resolved when the step runs) from every other member. */
    ISOLATE_LEADER("isolate-leader", FaultFamily.PARTITION, 2),
    /** Two halves that both reach one shared member but not each other. */
    BRIDGE("bridge", FaultFamily.PARTITION, 3),
    /** Each member reaches only its two neighbours in a random ring. */
    RING("ring", FaultFamily.PARTITION, 4),
    /** Blocks either everything the leader sends or everything it receives. */
    ONE_WAY("one-way", FaultFamily.PARTITION, 2),
    /** Holds frames on some links for a while. */
    DELAY("delay", FaultFamily.NETWORK, 2),
    /** Drops a share of the frames on some links. */
    DROP("drop", FaultFamily.NETWORK, 2),
    /** SIGKILLs the leader; restarts it at the heal. */
    KILL_LEADER("kill-leader", FaultFamily.KILL, 1),
    /** SIGKILLs one member; restarts it at the heal. */
    KILL_RANDOM("kill-random", FaultFamily.KILL, 1),
    /** SIGKILLs a majority (the cluster is unavailable meanwhile); restarts them at the heal. */
    KILL_MAJORITY("kill-majority", FaultFamily.KILL, 1),
    /** SIGSTOPs the leader; SIGCONTs it at the heal. */
    PAUSE_LEADER("pause-leader", FaultFamily.PAUSE, 1),
    /** SIGSTOPs one member; SIGCONTs it at the heal. */
    PAUSE_RANDOM("pause-random", FaultFamily.PAUSE, 1),
    /**
     * Replaces a non-leader member by a fresh one, one change at a time: with more than three members it removes
     * first and adds at the heal, with three it adds first and removes at the heal, so there are never fewer
     * than three.
     */
    REPLACE_MEMBER("replace-member", FaultFamily.MEMBERSHIP, 3),
    /** Hands leadership to a random other member, several times over the period. */
    TRANSFER_LEADER("transfer-leader", FaultFamily.LEADER_TRANSFER, 2),
    /** Moves one member's clocks by 1 to 10 s, forward or back; resets them at the heal. */
    CLOCK_JUMP("clock-jump", FaultFamily.CLOCK, 1),
    /** Makes one member's clocks run at 0.5 to 2 times real time; resets them at the heal. */
    CLOCK_DRIFT("clock-drift", FaultFamily.CLOCK, 1),
    /**
     * Slows the leader's clocks to 0.3 to 0.5 times real time and cuts it from everyone: it notices it lost its
     * quorum late (its check-quorum round runs on its slow clock) while the others elect a new leader — the
     * window in which a leader that skips the ReadIndex round serves stale reads. Heals both.
     */
    ISOLATE_SLOW_LEADER("isolate-slow-leader", FaultFamily.CLOCK, 2);

    private final String printName;
    private final FaultFamily family;
    private final int minMembers;

    FaultKind(String printName, FaultFamily family, int minMembers) {
        this.printName = printName;
        this.family = family;
        this.minMembers = minMembers;
    }

    /** @return its name in schedules and logs, e.g. {@code isolate-leader} */
    public String printName() {
        return printName;
    }

    /** @return the family it belongs to */
    public FaultFamily family() {
        return family;
    }

    /** @return the fewest members a cluster needs for this fault to make sense */
    public int minMembers() {
        return minMembers;
    }

    /** @return the kind called {@code name} ({@link #printName()}), or empty */
    public static java.util.Optional<FaultKind> byName(String name) {
        return java.util.Arrays.stream(values()).filter(k -> k.printName.equals(name)).findFirst();
    }

    /** @return every kind of {@code families} */
    public static java.util.Set<FaultKind> of(java.util.Collection<FaultFamily> families) {
        java.util.Set<FaultKind> kinds = java.util.EnumSet.noneOf(FaultKind.class);
        for (FaultKind k : values()) {
            if (families.contains(k.family)) {
                kinds.add(k);
            }
        }
        return kinds;
    }

    @Override
    public String toString() {
        return printName;
    }
}
