package dev.keel.simulator;

import java.util.EnumSet;

/**
 * What to simulate.
 *
 * @param seed           the run's only source of randomness
 * @param nodes          cluster size (3 or 5)
 * @param virtualSeconds length of the fault phase; the liveness phase follows
 * @param faults         fault kinds a seed may draw from (each seed activates a random subset)
 * @param mix            how the seed weights its schedules
 */
public record SimConfig(long seed, int nodes, int virtualSeconds, EnumSet<FaultKind> faults, Mix mix) {
    /** Virtual seconds the healed cluster gets to commit a new write before the run fails on liveness. */
    public static final int LIVENESS_SECONDS = 60;
    /** Member IDs beyond the founders ({@code nodes + 1 ..}) the membership fault may add, once each. */
    public static final int SPARES = 2;
    /**
     * The longest fault phase the virtual clock can hold (about 23 days): the agenda keeps times below
     * 2^41 µs, and the liveness phase, its drain and the disruption check come after the fault phase — an hour
     * of headroom covers them.
     */
    public static final int MAX_VIRTUAL_SECONDS =
            (int) (EventQueue.TIME_LIMIT_MICROS / 1_000_000 - LIVENESS_SECONDS - 3600);

    public SimConfig {
        if (nodes != 3 && nodes != 5) {
            throw new IllegalArgumentException("--nodes must be 3 or 5, not " + nodes);
        }
        if (virtualSeconds < 1) {
            throw new IllegalArgumentException("--virtual-seconds must be at least 1, not " + virtualSeconds);
        }
        if (virtualSeconds > MAX_VIRTUAL_SECONDS) {
            throw new IllegalArgumentException("--virtual-seconds must be at most " + MAX_VIRTUAL_SECONDS
                    + " (what the virtual clock can hold), not " + virtualSeconds);
        }
        faults = EnumSet.copyOf(faults.isEmpty() ? EnumSet.noneOf(FaultKind.class) : faults);
        if (mix == null) {
            mix = Mix.DEFAULT;
        }
    }

    /** The default mix. */
    public SimConfig(long seed, int nodes, int virtualSeconds, EnumSet<FaultKind> faults) {
        this(seed, nodes, virtualSeconds, faults, Mix.DEFAULT);
    }

    /** @return the command that replays this run */
    public String replayCommand() {
        return "bin/keel-sim --seed 0x" + Long.toHexString(seed) + " --nodes " + nodes + " --virtual-seconds "
                + virtualSeconds + " --faults " + FaultKind.format(faults) + (mix == Mix.DEFAULT ? "" : " --mix " + mix.flag());
    }
}
