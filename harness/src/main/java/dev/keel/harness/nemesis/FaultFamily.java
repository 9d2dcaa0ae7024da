package dev.keel.harness.nemesis;

/** The kinds of fault a run may draw from, by the names {@code --faults} takes. */
public enum FaultFamily {
    /** Network partitions: majority/minority, isolate the leader, bridge, ring, one-way. */
    PARTITION("partition"),
    /** Slow or lossy links: delay and drop a share of frames. */
    NETWORK("network"),
    /** SIGKILL a member (or the leader) and restart it later. */
    KILL("kill"),
    /** SIGSTOP a member (or the leader) and SIGCONT it later. */
    PAUSE("pause"),
    /** Remove a member and add a fresh one. */
    MEMBERSHIP("membership"),
    /** Hand leadership to another member. */
    LEADER_TRANSFER("transfer"),
    /** Clock jumps and rate drift per member (libfaketime). */
    CLOCK("clock");

    private final String flagName;

    FaultFamily(String flagName) {
        this.flagName = flagName;
    }

    /** @return the name {@code --faults} uses */
    public String flagName() {
        return flagName;
    }

    /** @return the family called {@code name} */
    public static FaultFamily byName(String name) {
        for (FaultFamily f : values()) {
            if (f.flagName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fault family '" + name + "'; choose from "
                + java.util.Arrays.stream(values()).map(FaultFamily::flagName).toList());
    }
}
