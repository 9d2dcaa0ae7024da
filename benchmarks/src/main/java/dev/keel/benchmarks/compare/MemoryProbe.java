package dev.keel.benchmarks.compare;

import dev.keel.benchmarks.load.Connections;
import dev.keel.benchmarks.load.Keys;
import dev.keel.benchmarks.load.LoadRun;
import dev.keel.benchmarks.load.Ticker;
import dev.keel.benchmarks.node.LocalCluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Resident memory of a cluster's members holding many keys: the keys are written through the leader in
 * transactions of 128 puts (both systems' {@code --max-txn-ops}), then each member's {@code VmRSS} (resident now)
 * and {@code VmHWM} (the peak) are read from {@code /proc/<pid>/status}.
 */
final class MemoryProbe {
    /** Time the members get after the last write before they are read (applies on followers, background work). */
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(3);

    private MemoryProbe() {
    }

    /** One member's memory, in KiB. */
    record Member(long pid, long rssKib, long hwmKib) {
    }

    /**
     * What one cluster used.
     *
     * @param keys    keys written
     * @param load    how long writing them took
     * @param members each member's memory
     */
    record Result(long keys, Duration load, List<Member> members) {
        /** @return the largest member's resident set, KiB */
        long maxRssKib() {
            return members.stream().mapToLong(Member::rssKib).max().orElse(0);
        }

        /** @return the largest member's peak resident set, KiB */
        long maxHwmKib() {
            return members.stream().mapToLong(Member::hwmKib).max().orElse(0);
        }
    }

    /** Writes {@code keys} keys of 256 B through {@code leader} and reads the members' memory. */
    static Result measure(LocalCluster cluster, String leader, long keys, PrintStream progress)
            throws InterruptedException {
        Duration took;
        try (Connections c = new Connections(List.of(leader), 4, 30_000)) {
            took = LoadRun.fill(c, new Keys(Scenario.KEY_SIZE, (int) Math.min(keys, Integer.MAX_VALUE),
                    Scenario.VALUE_SIZE), keys, Ticker.SYSTEM, progress, 30_000);
        }
        long until = System.nanoTime() + SETTLE_NANOS;
        for (long left = SETTLE_NANOS; left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        List<Member> members = new ArrayList<>();
        for (long pid : cluster.memberPids()) {
            members.add(new Member(pid, statusKib(pid, "VmRSS:"), statusKib(pid, "VmHWM:")));
        }
        return new Result(keys, took, members);
    }

    /** @return a {@code kB} field of {@code /proc/<pid>/status}, 0 if it cannot be read */
    static long statusKib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the member is gone: reported as 0
        }
        return 0;
    }
}
