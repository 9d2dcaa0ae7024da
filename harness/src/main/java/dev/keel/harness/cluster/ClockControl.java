package dev.keel.harness.cluster;

/**
 * Per-process clock faults that leave the machine's clock alone (libfaketime preloaded into a member's JVM,
 * where the machine has it). A change takes effect within about a second of being made.
 */
public interface ClockControl {
    /** @return whether clock faults can be injected on this machine; when false every other method throws */
    boolean supported();

    /** @return why not, when {@link #supported()} is false (what was tried and what to install) */
    String unsupportedReason();

    /** Moves {@code member}'s clocks (wall and monotonic) by {@code millis}, forward or back. */
    void jump(Member member, long millis);

    /** Makes {@code member}'s clocks run at {@code rate} times real time (e.g. 1.5 or 0.7). */
    void rate(Member member, double rate);

    /** Gives {@code member} the machine's time again. */
    void reset(Member member);
}
