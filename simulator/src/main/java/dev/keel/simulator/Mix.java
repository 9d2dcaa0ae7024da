package dev.keel.simulator;

import java.util.Locale;

/**
 * How a seed weights its schedules. {@link #DEFAULT}: the swarm mix. {@link #RARE}: the schedules classic
 * consensus bugs need and random mixes seldom produce — long partitions that leave a leader in the minority
 * still accepting writes (check-quorum off on half the seeds), crashes right after a sync before its messages
 * leave, followers left holding long uncommitted suffixes from old terms while a new leader replicates and
 * snapshots past the divergence (frequent snapshots), healing with one-entry messages and late duplicates, and
 * snapshots racing appends.
 */
public enum Mix {
    DEFAULT, RARE,
    /**
     * An experiment, not a test: lease reads with tick rates drifting 30–50 % apart, beyond the 10 % bound the
     * lease assumes. Stale reads are the expected consequence: they are counted and reported, not failed.
     */
    LEASE_BEYOND_BOUND;

    /** @throws IllegalArgumentException naming the accepted values */
    public static Mix parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "default": return DEFAULT;
            case "rare": return RARE;
            case "lease-beyond-bound": return LEASE_BEYOND_BOUND;
            default: throw new IllegalArgumentException("unknown --mix " + s
                    + " (use default, rare or lease-beyond-bound)");
        }
    }

    String flag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
