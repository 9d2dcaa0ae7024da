package dev.keel.harness.workload;

import dev.keel.harness.run.RunClock;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a workload gets from the runner.
 *
 * @param endpoints      the current members' client endpoints ({@code host:port}); asked again on every retry,
 *                       since members are added and removed during a run
 * @param seed           the workload's seed: every random choice it makes (keys, values, which member) comes
 *                       from a PRNG seeded with it
 * @param clients        how many client threads to run
 * @param opTimeoutMillis the deadline of each call; a call that misses it is recorded as {@code :info}
 * @param clock          the run's time base, for invoke and complete times
 * @param log            one line of diagnostics to the run's log (not the progress line)
 */
public record WorkloadContext(Supplier<List<String>> endpoints, long seed, int clients, long opTimeoutMillis,
                              RunClock clock, Consumer<String> log) {
}
