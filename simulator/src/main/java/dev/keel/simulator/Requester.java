package dev.keel.simulator;

/** Whoever sent a {@link ClientRequest} and hears its answer: a workload client or a lease client. */
interface Requester {
    /**
     * A node answered ({@code outcome} null: refused — certainly not done, or with {@code indeterminate} a
     * write whose fate the node could not tell). Late answers are the requester's to ignore.
     */
    void onResponse(ClientRequest request, WorkloadCodec.Outcome outcome, long leaderHint, boolean indeterminate);
}
