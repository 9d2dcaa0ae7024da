package dev.keel.harness.run;

import dev.keel.harness.nemesis.FaultKind;
import dev.keel.harness.nemesis.FaultSchedule;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One torture run's settings.
 *
 * @param members         cluster size (3 or 5)
 * @param faultMillis     how long the nemesis runs its schedule
 * @param seed            the seed of the fault schedule and of every workload's choices
 * @param workloads       the workloads, run at once on one cluster, each on its own keys
 * @param faults          the fault kinds the schedule draws from
 * @param schedule        an explicit schedule instead of one drawn from {@code seed} (tests), or empty
 * @param clients         client threads per workload
 * @param opTimeoutMillis the deadline of each client call
 * @param dir             the run's folder (created; must not hold an earlier run)
 * @param launcher        the command before a member's flags (see
 *                        {@link dev.keel.harness.cluster.ClusterOptions#defaultLauncher})
 * @param memberFlags     more {@code bin/keel} flags for every member
 * @param keepData        whether to keep the members' data directories after a passing run
 */
public record TortureOptions(int members, long faultMillis, long seed, List<String> workloads,
                             Set<FaultKind> faults, Optional<FaultSchedule> schedule, int clients,
                             long opTimeoutMillis, Path dir, List<String> launcher, List<String> memberFlags,
                             boolean keepData) {
    /** Checks what can be checked before anything starts. */
    public TortureOptions {
        if (members < 1 || members > 7) {
            throw new IllegalArgumentException("--members must be 1 to 7, got " + members);
        }
        if (faultMillis < 1_000) {
            throw new IllegalArgumentException("--time must be at least 1 s, got " + faultMillis + " ms");
        }
        if (workloads.isEmpty()) {
            throw new IllegalArgumentException("--workloads needs at least one workload");
        }
        if (clients < 1 || clients > 64) {
            throw new IllegalArgumentException("--clients must be 1 to 64, got " + clients);
        }
        if (opTimeoutMillis < 100) {
            throw new IllegalArgumentException("--op-timeout must be at least 100 ms, got " + opTimeoutMillis);
        }
        workloads = List.copyOf(workloads);
        faults = Set.copyOf(faults);
        launcher = List.copyOf(launcher);
        memberFlags = List.copyOf(memberFlags);
    }

    /** @return the seed as the summary and file names print it */
    public String seedText() {
        return "0x" + Long.toHexString(seed);
    }
}
