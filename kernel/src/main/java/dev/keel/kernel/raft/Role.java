package dev.keel.kernel.raft;

/** What a node currently is. */
public final class Role {
    private Role() {
    }

    public static final int FOLLOWER = 0;
    /** Asking for pre-votes: would others vote for it, without raising its term yet. */
    public static final int PRE_CANDIDATE = 1;
    public static final int CANDIDATE = 2;
    public static final int LEADER = 3;

    /** @return the role's name */
    public static String name(int role) {
        switch (role) {
            case FOLLOWER: return "follower";
            case PRE_CANDIDATE: return "pre-candidate";
            case CANDIDATE: return "candidate";
            case LEADER: return "leader";
            default: return "role?" + role;
        }
    }
}
