package dev.keel.simulator;

import java.util.EnumSet;
import java.util.Locale;

/** Every kind of fault a seed can draw. Names on the command line are the lower-case, dashed forms. */
public enum FaultKind {
    /** Message latency with random spikes (always some delay; this adds heavy tails). */
    DELAY,
    /** Messages lost, 0-30 %. */
    LOSS,
    /** Messages delivered twice. */
    DUPLICATION,
    /** Extra random delay on some messages, so they overtake each other. */
    REORDER,
    /** The cluster split in two groups, both directions cut. */
    PARTITION,
    /** One direction cut between two groups. */
    ASYMMETRIC_PARTITION,
    /** Whoever leads now is cut off from everyone. */
    ISOLATE_LEADER,
    /** One link holds every message until it is released, then delivers the backlog at once. */
    CLOG,
    /** Each node's ticks run up to 10 % fast or slow. */
    CLOCK_DRIFT,
    /** A node's clock leaps forward several ticks at once. */
    CLOCK_JUMP,
    /** A process crashes (losing what was not fsynced) and restarts later. */
    CRASH,
    /** A process stops, then resumes with a backlog of input. */
    PAUSE,
    /** A crash tears the last unsynced write, leaving a partial record. */
    TORN_WRITE,
    /** A durable record of a stopped node gets a bit flipped; the node must detect it and stay down. */
    CORRUPTION,
    /** fsync becomes 10-100 times slower for a while. */
    SLOW_FSYNC,
    /** The disk fills: writes are refused with NOSPACE until space returns. */
    DISK_FULL,
    /**
     * An operator changes the membership: adds a spare as learner or voter, promotes a learner, removes a
     * learner, a voter or the leader (never below three voters); a removed member's process stops for good.
     */
    MEMBERSHIP,
    /** An operator hands leadership to a random voter (now and then to a non-voter, which must be refused). */
    TRANSFER;

    /** @return the command-line name, e.g. {@code isolate-leader} */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a comma-separated list of names, or {@code all}.
     *
     * @throws IllegalArgumentException naming the unknown fault and listing the known ones
     */
    public static EnumSet<FaultKind> parse(String list) {
        EnumSet<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
        for (String part : list.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("all")) {
                return EnumSet.allOf(FaultKind.class);
            }
            if (name.equals("none")) {
                continue;
            }
            try {
                kinds.add(valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                StringBuilder known = new StringBuilder();
                for (FaultKind k : values()) {
                    known.append(known.length() == 0 ? "" : ", ").append(k.cliName());
                }
                throw new IllegalArgumentException("unknown fault '" + name + "'; known: all, none, " + known);
            }
        }
        return kinds;
    }

    /** @return the set as a comma-separated list of command-line names */
    public static String format(EnumSet<FaultKind> kinds) {
        if (kinds.equals(EnumSet.allOf(FaultKind.class))) {
            return "all";
        }
        if (kinds.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (FaultKind k : kinds) {
            sb.append(sb.length() == 0 ? "" : ",").append(k.cliName());
        }
        return sb.toString();
    }
}
