package dev.keel.simulator;

/** A check that failed during a run: which check, and what it saw. */
final class SimulationFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String check;

    SimulationFailure(String check, String detail) {
        super(check + ": " + detail);
        this.check = check;
    }

    /** @return the violated check's name, e.g. "election safety" */
    String check() {
        return check;
    }
}
