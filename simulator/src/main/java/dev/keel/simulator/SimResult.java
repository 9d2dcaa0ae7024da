package dev.keel.simulator;

/**
 * How a run ended.
 *
 * @param config          what was run
 * @param failedCheck     the violated check, or null if every check passed
 * @param detail          what the check saw (or a summary of the run)
 * @param traceHash       digest of every delivered message and fault; equal seeds give equal digests
 * @param virtualMicros   simulated time covered
 * @param wallNanos       real time spent (simulation and checks)
 * @param simulationNanos real time spent simulating (checks at the end excluded)
 * @param operations      client operations in the history
 * @param linearizability the checker's verdict on the history
 * @param plan            the fault mix this seed drew
 * @param checkNanos      real time the linearizability check took (0 if skipped)
 * @param infoOperations  operations whose outcome the client never learned (indeterminate writes)
 */
public record SimResult(SimConfig config, String failedCheck, String detail, long traceHash, long virtualMicros,
                        long wallNanos, long simulationNanos, int operations, String linearizability, String plan,
                        long checkNanos, int infoOperations) {
    public boolean passed() {
        return failedCheck == null;
    }
}
