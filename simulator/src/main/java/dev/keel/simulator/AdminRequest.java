package dev.keel.simulator;

/** One admin request (a membership change or a leadership transfer) on its way to a member. */
final class AdminRequest {
    enum Kind { ADD_LEARNER, ADD_VOTER, PROMOTE, REMOVE, TRANSFER }

    /** Where the operator stands on a change's fate. */
    enum State {
        /** Not answered yet: it may still reach a replica and be proposed. */
        PENDING,
        /** Answered (or its node crashed) without telling: it may sit in a log and commit later. */
        UNKNOWN,
        /** Certain: applied, refused, or lost before any replica saw it. */
        DONE
    }

    final long token;
    final Kind kind;
    /** The member to change, or the transferee. */
    final long member;
    final long target;
    /** Whether a refusal naming the leader is followed (once). */
    final boolean mayRetry;
    State state = State.PENDING;

    AdminRequest(long token, Kind kind, long member, long target, boolean mayRetry) {
        this.token = token;
        this.kind = kind;
        this.member = member;
        this.target = target;
        this.mayRetry = mayRetry;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " " + member + " via node " + target;
    }
}
