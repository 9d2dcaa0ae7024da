package dev.keel.benchmarks.load;

/**
 * One kind of request a load sends. {@link #start} sends one and returns at once; the answer reports to the
 * completion, on any thread (or before {@code start} returns).
 */
public interface Operation {
    /**
     * Sends one request.
     *
     * @param slot          which client sends it (0 .. clients-1): a client never has two requests in flight
     * @param seq           the request's number in this run, from 0
     * @param intendedNanos when the schedule meant it to be sent (the ticker's time); latency counts from here
     * @param done          told once, when it succeeded or failed
     */
    void start(int slot, long seq, long intendedNanos, Completion done);

    /** What a request reports when it ends. */
    interface Completion {
        /** The request succeeded. */
        void succeeded();

        /** The request failed (a gRPC status, a timeout, a broken stream). */
        void failed(Throwable cause);
    }
}
