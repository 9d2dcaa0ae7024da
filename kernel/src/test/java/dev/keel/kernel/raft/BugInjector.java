package dev.keel.kernel.raft;

import java.util.List;

/**
 * Test-only access to {@link Hazards}: turns classic Raft bugs on in a node so that tests (the simulator's
 * bug-finding tests in particular) can show they are caught. Ships only in the kernel's test jar.
 */
public final class BugInjector {
    /** Kernel bugs that can be injected, by name. */
    public static final List<String> KERNEL_BUGS = List.of(
            "vote-without-log-check", "commit-earlier-term-by-count", "read-index-without-round", "local-read");

    private BugInjector() {
    }

    /** Turns on bug {@code name} (one of {@link #KERNEL_BUGS}) in {@code node}. */
    public static void inject(RaftNode node, String name) {
        if (node.hazards == Hazards.NONE) {
            node.hazards = new Hazards();
        }
        switch (name) {
            case "vote-without-log-check":
                node.hazards.voteWithoutLogCheck = true;
                break;
            case "commit-earlier-term-by-count":
                node.hazards.commitEarlierTermByCount = true;
                break;
            case "read-index-without-round":
                node.hazards.readIndexWithoutRound = true;
                break;
            case "local-read":
                node.hazards.readLocally = true;
                break;
            default:
                throw new IllegalArgumentException("unknown bug " + name + "; known: " + KERNEL_BUGS);
        }
    }
}
